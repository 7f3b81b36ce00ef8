// The frame of each section of "Mein Konto": a titled, labelled card with
// an optional hint and actions beside the title.
import { Group, Paper, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** Card is one section of the account page. */
export function Card({ title, hint, children, actions }: { title: string; hint?: string; children: ReactNode; actions?: ReactNode }) {
  const id = `card-${title.replace(/\W+/g, "-").toLowerCase()}`;
  return (
    <Paper withBorder radius="lg" p={{ base: "md", sm: "xl" }} component="section" aria-labelledby={id}>
      <Group justify="space-between" align="flex-start" mb="sm" wrap="wrap">
        <div>
          <Title order={2} fz="h4" id={id} c="zeugo.9">
            {title}
          </Title>
          {hint && (
            <Text size="sm" c="dimmed" mt={4}>
              {hint}
            </Text>
          )}
        </div>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}
