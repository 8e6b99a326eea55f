/** The settings whose whole value is a secret. */
export const SECRET_VARIABLES = ['ADMIN_API_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET', 'DISCORD_BOT_TOKEN'] as const;

/** The settings that are URLs and may carry a password. */
export const URL_VARIABLES_WITH_PASSWORDS = ['DATABASE_URL', 'SMTP_URL'] as const;

function passwordOf(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Every secret value the environment holds: tokens as they are, and the passwords inside
 * connection URLs. Read from the raw environment, so a secret that fails validation is
 * known (and kept out of the logs) all the same.
 */
export function secretValuesOf(env: Record<string, string | undefined>): string[] {
  const values: string[] = [];
  for (const name of SECRET_VARIABLES) {
    const value = env[name];
    if (value) values.push(value);
  }
  for (const name of URL_VARIABLES_WITH_PASSWORDS) {
    const value = env[name];
    const password = value ? passwordOf(value) : undefined;
    if (password) values.push(password);
  }
  return values;
}
