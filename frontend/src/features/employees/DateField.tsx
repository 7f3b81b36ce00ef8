import { TextInput, type TextInputProps } from "@mantine/core";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate, parseDate } from "./dates.js";

type DateFieldProps = Omit<TextInputProps, "value" | "onChange" | "defaultValue"> & {
  /** YYYY-MM-DD, "" or — while the typed text is no date — that text. */
  value?: string;
  onChange: (value: string) => void;
};

/**
 * DateField is a date typed as TT.MM.JJJJ (or JJJJ-MM-TT) and kept as
 * YYYY-MM-DD, the API's form. Text that is not (yet) a date is passed on
 * as typed, so that the validation names it next to the field.
 */
export function DateField({ value = "", onChange, ...rest }: DateFieldProps) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => formatDate(value));
  // A new value from outside (the stored employee, a reload) replaces the text.
  useEffect(() => {
    if ((parseDate(text) ?? text.trim()) !== value) setText(formatDate(value));
  }, [value]);
  return (
    <TextInput
      inputMode="numeric"
      autoComplete="off"
      placeholder={rest.readOnly ? undefined : t("employees.fields.datePlaceholder")}
      maxLength={10}
      {...rest}
      value={text}
      onChange={(e) => {
        const typed = e.currentTarget.value;
        setText(typed);
        onChange(parseDate(typed) ?? typed.trim());
      }}
      onBlur={(e) => {
        // A complete date reads the same everywhere once the field is left.
        const parsed = parseDate(text);
        if (parsed) setText(formatDate(parsed));
        rest.onBlur?.(e);
      }}
    />
  );
}
