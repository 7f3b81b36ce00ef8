import { Box, Group, List, Progress, Stack, Text, ThemeIcon, VisuallyHidden } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ruleStates, type Policy } from "./rules.js";
import type { Estimate } from "./zxcvbn.js";

type Estimator = typeof import("./zxcvbn.js");

let loading: Promise<Estimator> | undefined;

/** loadEstimator fetches the estimator chunk once. */
export function loadEstimator(): Promise<Estimator> {
  loading ??= import("./zxcvbn.js");
  return loading;
}

/**
 * useEstimate rates password with zxcvbn once its chunk has loaded;
 * undefined until then and for an empty password.
 */
export function useEstimate(password: string, userInputs: string[], language: string): Estimate | undefined {
  const [estimator, setEstimator] = useState<Estimator | undefined>();
  useEffect(() => {
    let live = true;
    loadEstimator().then(
      (mod) => live && setEstimator(() => mod),
      // Without the meter the form still works; the server checks anyway.
      (err: unknown) => console.error("password strength estimator could not be loaded", err),
    );
    return () => {
      live = false;
    };
  }, []);
  const inputsKey = userInputs.join("\u0000");
  const [estimate, setEstimate] = useState<Estimate | undefined>();
  useEffect(() => {
    if (!estimator || password === "") {
      setEstimate(undefined);
      return;
    }
    // Estimating takes a few milliseconds; wait for a pause in typing.
    const timer = setTimeout(() => setEstimate(estimator.estimate(password, userInputs, language)), 120);
    return () => clearTimeout(timer);
  }, [estimator, password, inputsKey, language]);
  return estimate;
}

const scoreColors = ["red", "red", "orange", "teal", "green"] as const;

export type StrengthMeterProps = {
  password: string;
  policy: Policy;
  /** Names and email of the person: the estimator treats them as guessable. */
  userInputs: string[];
  /** Id of the element, for aria-describedby on the password field. */
  id?: string;
};

/**
 * StrengthMeter shows, as the person types, which of the tenant's rules the
 * password meets and how guessable zxcvbn rates it, with its advice.
 */
export function StrengthMeter({ password, policy, userInputs, id }: StrengthMeterProps) {
  const { t, i18n } = useTranslation();
  const estimate = useEstimate(password, userInputs, i18n.resolvedLanguage ?? "de");
  const rules = ruleStates(password, policy);
  return (
    <Stack gap={6} id={id} data-testid="password-meter">
      <Box aria-live="polite">
        <Group justify="space-between" gap="xs">
          <Text size="sm" fw={500}>
            {t("password.strength.label")}
          </Text>
          <Text size="sm" c={estimate ? scoreColors[estimate.score] : "dimmed"} data-testid="password-score">
            {estimate ? t(`password.strength.score${estimate.score}`) : t("password.strength.none")}
          </Text>
        </Group>
        <Progress
          value={estimate ? ((estimate.score + 1) / 5) * 100 : 0}
          color={estimate ? scoreColors[estimate.score] : "gray"}
          size="sm"
          aria-hidden="true"
        />
        {estimate?.warning && (
          <Text size="sm" c="orange.9" mt={4} data-testid="password-warning">
            {estimate.warning}
          </Text>
        )}
        {estimate?.suggestions.map((s) => (
          <Text size="xs" c="dimmed" key={s}>
            {s}
          </Text>
        ))}
      </Box>
      <List size="sm" spacing={2} center aria-label={t("password.rules.title")}>
        {rules.map((r) => (
          <List.Item
            key={r.id}
            data-rule={r.id}
            data-met={r.met}
            icon={
              <ThemeIcon size={16} radius="xl" color={r.met ? "green" : "gray"} aria-hidden="true">
                <Text size="xs" c="white" lh={1}>
                  {r.met ? "✓" : "·"}
                </Text>
              </ThemeIcon>
            }
          >
            <Text size="sm" c={r.met ? undefined : "dimmed"}>
              {t(`password.rules.${r.id}`, { min: policy.minLength })}
              <VisuallyHidden>{r.met ? t("password.rules.met") : t("password.rules.notMet")}</VisuallyHidden>
            </Text>
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
