import { useEffect, useState } from 'react';
import { JsonInput } from '@mantine/core';
import type { FieldProps } from '@rjsf/utils';

/** Free JSON objects (extra_data, args without a schema) as text, parsed when the field is left. */
export function JsonField({ formData, onChange, name, schema, fieldPathId }: FieldProps) {
  const [text, setText] = useState(() => (formData === undefined || formData === null ? '' : JSON.stringify(formData, null, 2)));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((t) => (safeParse(t) === JSON.stringify(formData ?? null) ? t : formData === undefined || formData === null ? '' : JSON.stringify(formData, null, 2)));
  }, [formData]);
  return (
    <JsonInput id={fieldPathId.$id} label={schema.title ?? name} description={schema.description} value={text} autosize minRows={2} maxRows={12} error={error}
      onChange={setText}
      onBlur={() => {
        if (!text.trim()) {
          setError(null);
          onChange(undefined, fieldPathId.path);
          return;
        }
        try {
          const value = JSON.parse(text);
          setError(null);
          onChange(value, fieldPathId.path);
        } catch {
          setError('not valid JSON');
        }
      }} />
  );
}

function safeParse(text: string): string {
  try {
    return JSON.stringify(text.trim() ? JSON.parse(text) : null);
  } catch {
    return '';
  }
}
