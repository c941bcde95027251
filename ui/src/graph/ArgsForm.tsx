import Form from '@rjsf/mantine';
import validator from '@rjsf/validator-ajv8';
import type { RJSFSchema } from '@rjsf/utils';
import { Text } from '@mantine/core';
import { uiSchemaFor, type JsonSchema } from '../lib/forms';

/** A step's `args`, as a form drawn from its action type's `params_json_schema`. */
export function ArgsForm({ schema, value, onChange }: {
  schema: Record<string, unknown>;
  value: Record<string, unknown>;
  onChange: (args: Record<string, unknown>) => void;
}) {
  const hasFields = Object.keys((schema as JsonSchema).properties ?? {}).length > 0;
  if (!hasFields) return <Text size="xs" c="dimmed">This action type takes no arguments.</Text>;
  return (
    <Form
      schema={{ ...(schema as RJSFSchema), title: 'Arguments' }}
      uiSchema={{ ...uiSchemaFor(schema as JsonSchema), 'ui:submitButtonOptions': { norender: true } }}
      formData={value}
      validator={validator}
      noHtml5Validate
      showErrorList={false}
      liveValidate
      onError={() => undefined}
      onChange={(e) => onChange((e.formData ?? {}) as Record<string, unknown>)}
    />
  );
}
