package branding_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

func ctx() context.Context { return context.Background() }

func client(s *apptest.Session) zeugov1connect.BrandingServiceClient {
	return zeugov1connect.NewBrandingServiceClient(s.HTTP, s.URL, s.Options()...)
}

func pngOf(w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func TestBrandingIsReadByEveryUserAndChangedOnlyWithTheArea(t *testing.T) {
	t.Parallel()
	for _, p := range []apptest.Protocol{apptest.Connect, apptest.GRPC} {
		t.Run(p.String(), func(t *testing.T) {
			t.Parallel()
			env := apptest.New(t)
			ten := env.CreateTenant("Marke GmbH", "admin@marke.example")
			admin := client(apptest.SignIn(t, env, ten.Email, ten.Password, p))
			g, err := admin.GetBranding(ctx(), connect.NewRequest(&zeugov1.GetBrandingRequest{}))
			if err != nil || g.Msg.GetBranding().GetVersion() != 0 || g.Msg.GetBranding().GetAccentColor() != "" {
				t.Fatalf("initial branding: %v %+v", err, g)
			}
			u, err := admin.UpdateBranding(ctx(), connect.NewRequest(&zeugov1.UpdateBrandingRequest{AccentColor: "#8C1B5A"}))
			if err != nil || u.Msg.GetBranding().GetAccentColor() != "#8c1b5a" || u.Msg.GetBranding().GetVersion() == 0 {
				t.Fatalf("update: %v %+v", err, u)
			}
			v := u.Msg.GetBranding().GetVersion()
			// Too light for white text (yellow 1.1:1, a grey just under 4.5:1).
			for _, c := range []string{"#ffff00", "#777777"} {
				_, err = admin.UpdateBranding(ctx(), connect.NewRequest(&zeugov1.UpdateBrandingRequest{Version: v, AccentColor: c}))
				apptest.WantCode(t, err, connect.CodeInvalidArgument, c)
				if got := apptest.Violations(t, err); got["accent_color"] != "zeugo.branding.contrast" {
					t.Fatalf("%s: %v", c, got)
				}
			}
			_, err = admin.UpdateBranding(ctx(), connect.NewRequest(&zeugov1.UpdateBrandingRequest{Version: v, AccentColor: "blau"}))
			if got := apptest.Violations(t, err); got["accent_color"] != "string.pattern" {
				t.Fatalf("not a colour: %v", got)
			}
			// The darkest grey that passes (4.54:1).
			if _, err := admin.UpdateBranding(ctx(), connect.NewRequest(&zeugov1.UpdateBrandingRequest{Version: v, AccentColor: "#767676"})); err != nil {
				t.Fatal(err)
			}
			_, err = admin.UpdateBranding(ctx(), connect.NewRequest(&zeugov1.UpdateBrandingRequest{Version: v, AccentColor: "#005177"}))
			apptest.WantCode(t, err, connect.CodeAborted, "stale version")

			// A user with no area at all reads it (the SPA applies it for
			// everyone) but cannot change it.
			other := client(apptest.AddUser(t, env, ten, "leser@marke.example", []string{}, apptest.Restriction{}))
			r, err := other.GetBranding(ctx(), connect.NewRequest(&zeugov1.GetBrandingRequest{}))
			if err != nil || r.Msg.GetBranding().GetAccentColor() != "#767676" {
				t.Fatalf("read by a user without areas: %v %+v", err, r)
			}
			_, err = other.UpdateBranding(ctx(), connect.NewRequest(&zeugov1.UpdateBrandingRequest{Version: r.Msg.GetBranding().GetVersion(), AccentColor: "#005177"}))
			apptest.WantCode(t, err, connect.CodePermissionDenied, "update without the area")

			// Another tenant's users see their own (none).
			ten2 := env.CreateTenant("Fremd GmbH", "admin@fremd-marke.example")
			f, err := client(apptest.SignIn(t, env, ten2.Email, ten2.Password, p)).GetBranding(ctx(), connect.NewRequest(&zeugov1.GetBrandingRequest{}))
			if err != nil || f.Msg.GetBranding().GetAccentColor() != "" || f.Msg.GetBranding().GetVersion() != 0 {
				t.Fatalf("other tenant: %v %+v", err, f)
			}
		})
	}
}

func TestBrandingLogoIsReencodedSmall(t *testing.T) {
	t.Parallel()
	env := apptest.New(t)
	ten := env.CreateTenant("Logo GmbH", "admin@logo.example")
	c := client(apptest.SignIn(t, env, ten.Email, ten.Password, apptest.Connect))
	payload := []byte("<svg onload=alert(1)>")
	r, err := c.SetBrandingLogo(ctx(), connect.NewRequest(&zeugov1.SetBrandingLogoRequest{Image: append(pngOf(2000, 500), payload...)}))
	if err != nil {
		t.Fatal(err)
	}
	b := r.Msg.GetBranding()
	if b.GetLogoWidthPx() != 512 || b.GetLogoHeightPx() != 128 || bytes.Contains(b.GetLogoPng(), payload) {
		t.Fatalf("stored logo %dx%d, payload kept %v", b.GetLogoWidthPx(), b.GetLogoHeightPx(), bytes.Contains(b.GetLogoPng(), payload))
	}
	_, err = c.SetBrandingLogo(ctx(), connect.NewRequest(&zeugov1.SetBrandingLogoRequest{Version: b.GetVersion(), Image: []byte("<svg/>")}))
	if got := apptest.Violations(t, err); got["image"] != "zeugo.layout.logo" {
		t.Fatalf("an SVG: %v", got)
	}
	rm, err := c.RemoveBrandingLogo(ctx(), connect.NewRequest(&zeugov1.RemoveBrandingLogoRequest{Version: b.GetVersion()}))
	if err != nil || len(rm.Msg.GetBranding().GetLogoPng()) != 0 {
		t.Fatalf("remove: %v", err)
	}
}
