package config_test

import (
	"errors"
	"testing"
	"time"

	"github.com/zeugo/zeugo/backend/internal/config"
)

// ZEUGO_ACCESS_LOG and ZEUGO_ACCESS_LOG_SLOW: production logs errors and
// slow requests only unless told otherwise; bad values name the variable.
func TestAccessLogSetting(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		change    map[string]string
		want      config.AccessLog
		wantError string
	}{
		{"production default", nil, config.AccessLog{Every: 0, Slow: time.Second}, ""},
		{"development default", map[string]string{"ZEUGO_ENV": "development"}, config.AccessLog{Every: 1, Slow: time.Second}, ""},
		{"all", map[string]string{"ZEUGO_ACCESS_LOG": "all"}, config.AccessLog{Every: 1, Slow: time.Second}, ""},
		{"errors in development", map[string]string{"ZEUGO_ENV": "development", "ZEUGO_ACCESS_LOG": "errors"}, config.AccessLog{Every: 0, Slow: time.Second}, ""},
		{"sample", map[string]string{"ZEUGO_ACCESS_LOG": "sample:100", "ZEUGO_ACCESS_LOG_SLOW": "250ms"}, config.AccessLog{Every: 100, Slow: 250 * time.Millisecond}, ""},
		{"sample without N", map[string]string{"ZEUGO_ACCESS_LOG": "sample:"}, config.AccessLog{}, "ZEUGO_ACCESS_LOG"},
		{"sample zero", map[string]string{"ZEUGO_ACCESS_LOG": "sample:0"}, config.AccessLog{}, "ZEUGO_ACCESS_LOG"},
		{"unknown mode", map[string]string{"ZEUGO_ACCESS_LOG": "info"}, config.AccessLog{}, "ZEUGO_ACCESS_LOG"},
		{"bad threshold", map[string]string{"ZEUGO_ACCESS_LOG_SLOW": "1"}, config.AccessLog{}, "ZEUGO_ACCESS_LOG_SLOW"},
		{"negative threshold", map[string]string{"ZEUGO_ACCESS_LOG_SLOW": "-1s"}, config.AccessLog{}, "ZEUGO_ACCESS_LOG_SLOW"},
	} {
		m := production(t)
		for k, v := range c.change {
			m[k] = v
		}
		cfg, err := config.Load(env(m), true)
		if c.wantError != "" {
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Var != c.wantError {
				t.Errorf("%s: got %v, want an error about %s", c.name, err, c.wantError)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if cfg.AccessLog != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, cfg.AccessLog, c.want)
		}
	}
}
