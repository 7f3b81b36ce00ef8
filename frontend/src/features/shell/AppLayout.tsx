import {
  Alert,
  AppShell,
  Avatar,
  Burger,
  Divider,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useEffect, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useMatch } from "react-router";
import type { Principal } from "../../gen/zeugo/v1/auth_pb.js";
import { displayName } from "../../lib/access.js";
import { useSession } from "../../lib/session-context.js";
import { BrandMark, IconId, IconLock, IconLogout } from "../../components/icons.js";
import { LanguageSwitch } from "./LanguageSwitch.js";
import { focusPageHeading } from "../../components/PageHeader.js";
import { mayOpen, visibleNavigation } from "./navigation.js";
import { NotFoundPage } from "./NotFoundPage.js";
import { useApplyBranding } from "../branding/use-branding.js";

/** AppLayout is the signed-in frame: header, navigation, main content. */
export function AppLayout({ principal, focusOnMount }: { principal: Principal; focusOnMount: boolean }) {
  const { t } = useTranslation();
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const location = useLocation();
  const tenantLogo = useApplyBranding();

  // On small screens the navigation closes after choosing a page.
  useEffect(() => {
    closeNav();
  }, [location.pathname, closeNav]);

  // After a navigation (and right after signing in) focus goes to the new
  // page's heading. On a fresh page load it stays at the document start, so
  // the first Tab reaches the skip link. A dialog or drawer a route opened
  // (…/new, …/:id) owns the focus: the heading must not take it back when
  // the frame runs after the dialog focused its first field.
  const firstRender = useRef(true);
  useEffect(() => {
    const first = firstRender.current;
    firstRender.current = false;
    if (first && !focusOnMount) return;
    const frame = requestAnimationFrame(() => {
      if (!document.querySelector('[role="dialog"]')) focusPageHeading();
    });
    return () => cancelAnimationFrame(frame);
  }, [location.pathname, focusOnMount]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 270, breakpoint: "sm", collapsed: { mobile: !navOpen } }}
      padding="lg"
    >
      <a className="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpen}
              onClick={toggleNav}
              hiddenFrom="sm"
              size="sm"
              aria-label={navOpen ? t("app.closeNavigation") : t("app.openNavigation")}
              aria-expanded={navOpen}
              aria-controls="main-navigation"
            />
            <Link to="/" className="brand-link" aria-label={`${t("app.name")} – ${t("nav.start")}`}>
              <BrandMark />
              <Text span fw={700} fz="lg" c="zeugo.8">
                {t("app.name")}
              </Text>
            </Link>
            <Divider orientation="vertical" visibleFrom="xs" my={14} />
            {tenantLogo && <img src={tenantLogo} alt="" className="tenant-logo" data-testid="tenant-logo" />}
            <Text fz="sm" c="dimmed" visibleFrom="xs" data-testid="tenant-name" truncate="end" maw={320}>
              <VisuallyHidden>{t("auth.tenant")}: </VisuallyHidden>
              {principal.tenantName}
            </Text>
          </Group>
          <Group gap="md" wrap="nowrap">
            <LanguageSwitch />
            <UserMenu principal={principal} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" id="main-navigation" aria-label={t("app.mainNavigation")} component="nav">
        <AppShell.Section grow component={ScrollArea}>
          {/* Generated from the navigation table, without what the role cannot use. */}
          {visibleNavigation(principal).map((section) =>
            section.labelKey ? (
              <div key={section.id}>
                <Text size="xs" fw={700} c="dimmed" mt="lg" mb={6} px="sm" className="nav-section-label" id={`nav-${section.id}`}>
                  {t(section.labelKey)}
                </Text>
                <div role="group" aria-labelledby={`nav-${section.id}`}>
                  {section.entries.map((e) => (
                    <NavItem key={e.path} to={e.path} end={e.end} label={t(e.labelKey)} icon={<e.icon />} />
                  ))}
                </div>
              </div>
            ) : (
              section.entries.map((e) => <NavItem key={e.path} to={e.path} end={e.end} label={t(e.labelKey)} icon={<e.icon />} />)
            ),
          )}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main id="main" tabIndex={-1} className="app-main">
        {principal.tenantReadOnly && (
          <Alert
            color="yellow"
            variant="light"
            mb="lg"
            icon={<IconLock />}
            title={t("app.readOnlyTitle")}
            role="status"
            className="readonly-alert"
          >
            {t("app.readOnlyBanner")}
          </Alert>
        )}
        {/* A page of an area the role lacks: say so instead of a screen whose every call fails. */}
        {mayOpen(principal, location.pathname) ? <Outlet /> : <NotFoundPage forbidden />}
      </AppShell.Main>
    </AppShell>
  );
}

function NavItem({ to, label, icon, end }: { to: string; label: string; icon: ReactNode; end?: boolean }) {
  const match = useMatch({ path: to, end: end ?? false });
  const active = match !== null;
  return (
    <NavLink
      component={Link}
      to={to}
      label={label}
      leftSection={icon}
      active={active}
      aria-current={active ? "page" : undefined}
      variant="light"
      mb={2}
    />
  );
}

function UserMenu({ principal }: { principal: Principal }) {
  const { t } = useTranslation();
  const session = useSession();
  const name = displayName(principal);
  const initials = name
    .split(/\s+/)
    .map((part) => part[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <Menu position="bottom-end" width={260} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label={t("auth.userMenu", { name })} data-testid="user-menu">
          <Group gap={8} wrap="nowrap">
            <Avatar color="zeugo" radius="xl" size={34}>
              {initials}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="md" data-testid="user-name">
              {name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="var(--mantine-color-text)">
            {name}
          </Text>
          <Text size="xs" c="dimmed">
            {principal.email}
          </Text>
          <Text size="xs" c="dimmed">
            {t("auth.tenant")}: {principal.tenantName}
          </Text>
          {principal.roleName !== "" && (
            <Text size="xs" c="dimmed">
              {t("auth.role", { role: principal.roleName })}
            </Text>
          )}
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/account" leftSection={<IconId size={16} />}>
          {t("nav.account")}
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void session.logout()}>
          {t("auth.logout")}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
