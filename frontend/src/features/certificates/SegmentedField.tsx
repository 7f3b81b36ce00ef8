import { SegmentedControl, Stack, Text, type SegmentedControlProps } from "@mantine/core";
import { useId } from "react";

/**
 * SegmentedField is a SegmentedControl with a visible label that names its
 * radio group for screen readers (a SegmentedControl has no label of its own).
 */
export function SegmentedField({ label, ...rest }: SegmentedControlProps & { label: string }) {
  const id = useId();
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} component="span" id={id}>
        {label}
      </Text>
      <SegmentedControl aria-labelledby={id} style={{ alignSelf: "flex-start" }} {...rest} />
    </Stack>
  );
}
