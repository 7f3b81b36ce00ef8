-- +goose Up
-- Keyset pagination (postgres.List) walks an index in each order a list
-- offers: (sort key, id) within the tenant, so page 100 costs what page 1
-- costs. Name orders use the unique name indexes of 00001 plus id.
CREATE INDEX companies_list_name_idx ON companies (tenant_id, lower(name), id);
CREATE INDEX companies_list_city_idx ON companies (tenant_id, lower(city), id);
CREATE INDEX companies_list_updated_idx ON companies (tenant_id, updated_at, id);
CREATE INDEX org_units_list_name_idx ON org_units (tenant_id, kind, lower(name), id);
CREATE INDEX org_units_list_updated_idx ON org_units (tenant_id, kind, updated_at, id);

-- +goose Down
DROP INDEX org_units_list_updated_idx;
DROP INDEX org_units_list_name_idx;
DROP INDEX companies_list_updated_idx;
DROP INDEX companies_list_city_idx;
DROP INDEX companies_list_name_idx;
