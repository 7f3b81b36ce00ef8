// In-memory AccountService, SecuritySettingsService and second factors for
// component tests: they keep the state a screen changes and record the
// requests.
import { HandoverCodeChannel } from "../gen/zeugo/v1/handover_pb.js";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createRouterTransport, type Transport } from "@connectrpc/connect";
import {
  AccountService,
  MyProfileSchema,
  MySessionSchema,
  type MyProfile,
  type MySession,
  type UpdateMyProfileRequest,
} from "../gen/zeugo/v1/account_pb.js";
import {
  SecuritySettingsBoundsSchema,
  SecuritySettingsSchema,
  SecuritySettingsService,
  type SecuritySettings,
  type UpdateSecuritySettingsRequest,
} from "../gen/zeugo/v1/settings_pb.js";
import { SecondFactorMethod } from "../gen/zeugo/v1/auth_pb.js";
import { fakeMfa, requireStepUp, routeMfa, type FakeMfa } from "./fake-mfa.js";

export type FakeAccount = {
  transport: Transport;
  /** The user's second factors ("Mein Konto" shows them). */
  mfa: FakeMfa;
  sessions: MySession[];
  profile: MyProfile;
  settings: SecuritySettings;
  revoked: string[];
  loggedOutEverywhere: number;
  profileUpdates: UpdateMyProfileRequest[];
  settingsUpdates: UpdateSecuritySettingsRequest[];
};

const at = (minutesAgo: number) => timestampFromMs(Date.UTC(2026, 10, 27, 12, 0) - minutesAgo * 60_000);

export function fakeAccount(): FakeAccount {
  const fake: FakeAccount = {
    transport: undefined as unknown as Transport,
    mfa: fakeMfa(),
    sessions: [
      create(MySessionSchema, {
        id: "00000000-0000-7000-8000-000000000001",
        browser: "Firefox 133",
        operatingSystem: "Linux",
        clientNetwork: "203.0.113.0/24",
        loginMethod: "password",
        createTime: at(30),
        lastActiveTime: at(1),
        current: true,
      }),
      create(MySessionSchema, {
        id: "00000000-0000-7000-8000-000000000002",
        browser: "Safari 18",
        operatingSystem: "iOS",
        mobile: true,
        clientNetwork: "198.51.100.0/24",
        loginMethod: "password",
        createTime: at(600),
        lastActiveTime: at(120),
      }),
    ],
    profile: create(MyProfileSchema, {
      email: "erika@muster.example",
      version: 3n,
      fields: { firstName: "Erika", lastName: "Muster", phone: "", language: "de" },
    }),
    settings: create(SecuritySettingsSchema, {
      version: 1n,
      fields: {
        passwordMinLength: 8,
        passwordComposition: true,
        invitationTtlHours: 72,
        sessionIdleMinutes: 30,
        sessionAbsoluteHours: 12,
        handoverCodeChannels: [HandoverCodeChannel.EMAIL, HandoverCodeChannel.SMS],
        secondFactorMethods: [SecondFactorMethod.TOTP, SecondFactorMethod.WEBAUTHN],
        passkeyLogin: true,
      },
    }),
    revoked: [],
    loggedOutEverywhere: 0,
    profileUpdates: [],
    settingsUpdates: [],
  };
  const bounds = create(SecuritySettingsBoundsSchema, {
    passwordMinLengthMin: 8,
    passwordMinLengthMax: 128,
    invitationTtlHoursMin: 1,
    invitationTtlHoursMax: 168,
    sessionIdleMinutesMin: 5,
    sessionIdleMinutesMax: 30,
    sessionAbsoluteHoursMin: 1,
    sessionAbsoluteHoursMax: 12,
  });
  fake.transport = createRouterTransport((router) => {
    const { service } = router;
    routeMfa(router, fake.mfa);
    service(AccountService, {
      listMySessions: () => ({ sessions: fake.sessions }),
      revokeMySession(req) {
        const s = fake.sessions.find((x) => x.id === req.id);
        if (!s) throw new ConnectError("not found", Code.NotFound);
        fake.revoked.push(req.id);
        fake.sessions = fake.sessions.filter((x) => x.id !== req.id);
        return {};
      },
      logoutEverywhere() {
        fake.loggedOutEverywhere++;
        const revoked = fake.sessions.length;
        fake.sessions = [];
        return { revoked };
      },
      getMyProfile: () => ({ profile: fake.profile }),
      updateMyProfile(req) {
        fake.profileUpdates.push(req);
        if (req.version !== fake.profile.version) throw new ConnectError("stale", Code.Aborted);
        fake.profile = create(MyProfileSchema, { email: fake.profile.email, version: fake.profile.version + 1n, fields: req.fields });
        return { profile: fake.profile };
      },
    });
    service(SecuritySettingsService, {
      getSecuritySettings: () => ({ settings: fake.settings, bounds }),
      updateSecuritySettings(req) {
        fake.settingsUpdates.push(req);
        if (req.version !== fake.settings.version) throw new ConnectError("stale", Code.Aborted);
        // As the server: a change to the second factor needs a step-up.
        const was = fake.settings.fields!;
        const kinds = (m: SecondFactorMethod[]) => [...m].sort().join(",");
        if (
          was.secondFactorRequired !== req.fields?.secondFactorRequired ||
          was.passkeyLogin !== req.fields?.passkeyLogin ||
          kinds(was.secondFactorMethods) !== kinds(req.fields?.secondFactorMethods ?? [])
        ) {
          requireStepUp(fake.mfa);
        }
        fake.settings = create(SecuritySettingsSchema, { version: fake.settings.version + 1n, fields: req.fields });
        return { settings: fake.settings, bounds };
      },
    });
  });
  return fake;
}
