import { Box, SegmentedControl, Stack, Text } from "@mantine/core";
import { useMediaQuery } from "@mantine/hooks";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { grades } from "./ratings.js";

/**
 * RatingControl is one rating: 1 (sehr gut) to 5 (mangelhaft) or "nicht
 * bewertet", with a line under it of how the chosen grade reads in a
 * reference for this category. The choices are radio buttons, so arrow
 * keys move between the grades.
 */
export function RatingControl({
  label,
  hintKey,
  value,
  onChange,
  disabled,
  note,
  error,
}: {
  label: string;
  /** i18n key prefix of the category's hints: `${hintKey}.1` … `${hintKey}.5`. */
  hintKey: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  /** Shown instead of the hint, e.g. why the rating is not available. */
  note?: string;
  error?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const narrow = useMediaQuery("(max-width: 36em)");
  const rated = value !== "0" && value !== "";
  const hint = note ?? (rated ? t(`${hintKey}.${value}`) : t("certificates.ratings.notRatedHint"));
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600} component="span" id={`${id}-label`}>
        {label}
      </Text>
      {/* On a phone (a handover's recipient rates there) the grades stand
          one below the other: a row of six would scroll sideways. */}
      <Box style={narrow ? undefined : { overflowX: "auto" }}>
        <SegmentedControl
          orientation={narrow ? "vertical" : "horizontal"}
          fullWidth={narrow}
          aria-labelledby={`${id}-label`}
          aria-describedby={`${id}-hint`}
          disabled={disabled}
          value={value || "0"}
          onChange={onChange}
          size="xs"
          color={rated ? "zeugo" : undefined}
          data={[
            ...grades.map((g) => ({ value: g, label: `${g} · ${t(`certificates.ratings.grades.${g}`)}` })),
            { value: "0", label: t("certificates.ratings.notRated") },
          ]}
        />
      </Box>
      <Text size="xs" c={error ? "red" : "dimmed"} id={`${id}-hint`} fs={rated && !note && !error ? "italic" : undefined}>
        {error ?? hint}
      </Text>
    </Stack>
  );
}
