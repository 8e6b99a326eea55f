import { SearchAttributeType } from '@temporalio/common';
import { Ajv } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json' with { type: 'json' };
import { DCLinter } from 'dclint';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { CONFIG_VARIABLES } from '../../src/config';
import { SEARCH_ATTRIBUTES } from '../../workflows/contract';

/**
 * No Docker engine runs here, so docker-compose.yml is checked the way `docker compose
 * config` would: parsed, validated against the Compose Specification's JSON schema, and
 * then against what this stack needs (health checks, builds, no inline secrets, search
 * attributes).
 */

const ROOT = join(import.meta.dirname, '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const APP_SERVICES = ['worker', 'api', 'bots'] as const;

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  ports?: (string | number | { host_ip?: string })[];
  volumes?: (string | { source?: string; target?: string })[];
  restart?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/**
 * The Compose Specification schema (compose-spec/compose-spec, schema/compose-spec.json), as
 * shipped by the `dclint` package, which keeps it updated from that repository.
 */
async function composeSchema(): Promise<Record<string, unknown>> {
  const packageJson = createRequire(import.meta.url).resolve('dclint/package.json');
  return JSON.parse(await readFile(join(dirname(packageJson), 'schemas', 'compose.schema.json'), 'utf8')) as Record<string, unknown>;
}

/** Ajv, as the schema's authors intend it: plain draft-07, without Ajv's own strict rules. */
async function composeValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names draft-07 by its https address; Ajv knows it by the http one.
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(await composeSchema());
}

function environmentOf(service: Service): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry) => [entry.split('=')[0]!, entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function dependenciesOf(service: Service): Record<string, string> {
  const dependsOn = service.depends_on ?? {};
  if (Array.isArray(dependsOn)) return Object.fromEntries(dependsOn.map((name) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(dependsOn).map(([name, { condition }]) => [name, condition]));
}

/** `${NAME}`, `${NAME:-default}`, `${NAME:?message}` … as compose interpolates them. */
const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g;

/** Every string value of the file, where compose interpolates (comments excluded). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsOf);
  return [];
}

let compose: ComposeFile;
let interpolations: RegExpMatchArray[];

beforeAll(async () => {
  const source = await readFile(COMPOSE_FILE, 'utf8');
  // YAML merge keys (<<) as compose resolves them; the x- blocks share settings.
  const document = parseDocument(source, { merge: true });
  expect(document.errors).toEqual([]);
  expect(document.warnings).toEqual([]);
  compose = document.toJS() as ComposeFile;
  interpolations = stringsOf(compose).flatMap((value) => [...value.matchAll(INTERPOLATION)]);
});

describe('docker-compose.yml is a valid Compose file', () => {
  it('uses the real Compose Specification schema', async () => {
    const schema = await composeSchema();
    expect(schema).toMatchObject({ $id: 'compose_spec.json', title: 'Compose Specification' });
    expect(Object.keys(schema.definitions as object)).toEqual(expect.arrayContaining(['service', 'healthcheck', 'deployment', 'development', 'volume', 'network']));
  });

  it('validates against the Compose Specification JSON schema', async () => {
    const validate = await composeValidator();
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 1)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('catches a broken file (the validation is not vacuous)', async () => {
    const validate = await composeValidator();
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services.worker!.depends_on = { postgres: { condition: 'service_ready' } };
    broken.services.api!.helthcheck = { test: ['CMD', 'true'] };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(expect.arrayContaining(['/services/api', '/services/worker/depends_on/postgres/condition']));
  });

  it('passes dclint (a Compose linter) without errors', () => {
    const [result] = new DCLinter({ rules: {}, quiet: true, debug: false, exclude: [] }).lintFiles([COMPOSE_FILE], false);
    expect(result?.messages.filter((message) => message.type === 'error') ?? ['no result']).toEqual([]);
  });
});

describe('the stack', () => {
  it('has PostgreSQL, Temporal persisted in it, the Temporal UI, and the app’s worker, API and bots', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'bots', 'postgres', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'worker']);
    const postgres = compose.services.postgres!;
    expect(postgres.image).toMatch(/^postgres:(16|17|18)(\.\d+)?$/);
    expect(postgres.volumes).toEqual([expect.stringMatching(/^postgres-data:/)]);
    expect(Object.keys(compose.volumes ?? {})).toContain('postgres-data');

    const temporal = compose.services.temporal!;
    expect(temporal.image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(environmentOf(temporal)).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres', POSTGRES_USER: environmentOf(postgres).POSTGRES_USER });
    expect(dependenciesOf(temporal)).toEqual({ postgres: 'service_healthy' });

    expect(compose.services['temporal-ui']!.image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(environmentOf(compose.services['temporal-ui']!).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('gives every service that others wait for a health check', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, condition] of Object.entries(dependenciesOf(service))) {
        expect(compose.services[dependency], `${name} depends on unknown ${dependency}`).toBeDefined();
        expect(['service_healthy', 'service_completed_successfully'], `${name} → ${dependency}`).toContain(condition);
        const target = compose.services[dependency]!;
        if (condition === 'service_healthy') {
          expect(target.healthcheck?.test, `${dependency} needs a healthcheck (${name} waits for it)`).toBeDefined();
          expect(target.healthcheck?.disable).not.toBe(true);
        } else {
          // A one-shot job must be allowed to finish.
          expect(target.restart ?? 'no', `${dependency} is a one-shot job`).toBe('no');
        }
      }
    }
  });

  it('builds the worker, API and bots from the repository’s Dockerfile, each with its command and a health check', () => {
    for (const name of APP_SERVICES) {
      const service = compose.services[name]!;
      expect(service.build, name).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(service.image, name).toBeUndefined();
      expect(service.healthcheck?.test, name).toBeDefined();
      expect(dependenciesOf(service), name).toMatchObject({ postgres: 'service_healthy', temporal: 'service_healthy', 'temporal-admin-tools': 'service_completed_successfully' });
    }
    expect(compose.services.worker!.command).toEqual(['npx', 'tsx', 'src/app/worker.ts']);
    expect(compose.services.api!.command).toEqual(['npx', 'tsx', 'src/app/api.ts']);
    expect(compose.services.bots!.command).toEqual(['npx', 'tsx', 'src/app/bots.ts']);
    // The API and bots wait for the worker, which migrates the database on start.
    expect(dependenciesOf(compose.services.api!).worker).toBe('service_healthy');
    expect(dependenciesOf(compose.services.bots!).worker).toBe('service_healthy');
  });

  it('checks the API’s health over HTTP on the port it listens on, reachable from outside its container', () => {
    const api = compose.services.api!;
    const environment = environmentOf(api);
    expect(environment.API_HOST).toBe('0.0.0.0');
    expect(api.healthcheck?.test).toEqual(['CMD', 'node', 'deploy/healthcheck-http.mjs', `http://127.0.0.1:${environment.API_PORT}/health`]);
    expect(api.ports).toEqual([`127.0.0.1:${environment.API_PORT}:${environment.API_PORT}`]);
  });

  it('runs health check scripts that exist in the image', async () => {
    const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((line) => line.trim());
    for (const [name, service] of Object.entries(compose.services)) {
      const test = service.healthcheck?.test;
      if (!Array.isArray(test) || test[1] !== 'node') continue;
      const script = test[2]!;
      expect(existsSync(join(ROOT, script)), `${name}: ${script}`).toBe(true);
      expect(ignored, `${script} must reach the image`).not.toContain(script.split('/')[0]);
    }
  });

  it('configures the app only with settings it reads, and points it at the stack', () => {
    for (const name of APP_SERVICES) {
      const environment = environmentOf(compose.services[name]!);
      for (const key of Object.keys(environment)) expect(CONFIG_VARIABLES, `${name}: ${key}`).toContain(key);
      expect(environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
      expect(environment.DATABASE_URL).toMatch(/^postgresql:\/\/booking:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/trainer_booking$/);
    }
    expect(environmentOf(compose.services.worker!)).toHaveProperty('SMTP_URL');
    expect(environmentOf(compose.services.worker!)).toHaveProperty('MAIL_FROM');
    expect(environmentOf(compose.services.bots!)).toHaveProperty('SLACK_BOT_TOKEN');
    expect(environmentOf(compose.services.bots!)).toHaveProperty('DISCORD_BOT_TOKEN');
  });

  it('writes no secret into the file: every secret comes from the environment, required ones with ${VAR:?…}', () => {
    const SECRET_NAME = /PASSWORD|PWD|TOKEN|SECRET|API_KEY/;
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(environmentOf(service))) {
        const where = `${name}.environment.${key}`;
        if (SECRET_NAME.test(key) || key.endsWith('_URL')) {
          // Only interpolations, and none with a default value that could be a secret.
          const literal = value.replace(INTERPOLATION, '');
          if (SECRET_NAME.test(key)) expect(literal, where).toBe('');
          for (const [, , operator, argument] of value.matchAll(INTERPOLATION)) {
            if (operator === ':-' || operator === '-') expect(argument, `${where} has a default`).toBe('');
          }
        }
        // A URL's password must be an interpolation too.
        const password = /:\/\/[^/\s:@]*:([^@\s]*)@/.exec(value)?.[1];
        if (password !== undefined) expect(password, where).toMatch(/^\$\{[A-Z_]+:\?[^}]+\}$/);
      }
    }
    // The stack cannot start without these, and compose says so by name.
    for (const variable of ['POSTGRES_PASSWORD', 'ADMIN_API_TOKEN']) {
      const uses = interpolations.filter(([, name]) => name === variable);
      expect(uses.length, variable).toBeGreaterThan(0);
      for (const [whole, , operator] of uses) expect(operator, whole).toBe(':?');
    }
  });

  it('documents every variable it interpolates in .env.example', async () => {
    const documented = Object.keys(parseEnv(await readFile(join(ROOT, '.env.example'), 'utf8')));
    const used = new Set(interpolations.map(([, name]) => name!));
    expect(used.size).toBeGreaterThan(0);
    for (const variable of used) expect(documented, variable).toContain(variable);
  });

  it('publishes ports on the loopback interface only', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) expect(port, name).toEqual(expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/));
    }
  });

  it('registers the booking search attributes as Keyword before the app starts', async () => {
    const job = compose.services['temporal-admin-tools']!;
    expect(job.image).toMatch(/^temporalio\/admin-tools:/);
    expect(dependenciesOf(job)).toEqual({ temporal: 'service_healthy' });
    expect(job.volumes).toEqual(['./deploy/register-search-attributes.sh:/usr/local/bin/register-search-attributes.sh:ro']);
    expect(job.entrypoint).toEqual(['/bin/sh', '/usr/local/bin/register-search-attributes.sh']);
    expect(environmentOf(job).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(environmentOf(job).TEMPORAL_NAMESPACE).toBe(environmentOf(compose.services.worker!).TEMPORAL_NAMESPACE);

    const script = await readFile(join(ROOT, 'deploy', 'register-search-attributes.sh'), 'utf8');
    const names = /^for name in (.+); do$/m.exec(script)?.[1]?.split(' ');
    const keys = Object.values(SEARCH_ATTRIBUTES);
    expect(names).toEqual(keys.map((key) => key.name));
    expect(keys.every((key) => key.type === SearchAttributeType.KEYWORD)).toBe(true);
    expect(script).toContain('--type Keyword');
  });
});

describe('Dockerfile', () => {
  let dockerfile: string;
  beforeAll(async () => {
    dockerfile = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
  });
  const instructions = (name: string): string[] =>
    dockerfile
      .replace(/\\\n/g, ' ')
      .split('\n')
      .filter((line) => line.startsWith(`${name} `))
      .map((line) => line.slice(name.length + 1).trim());

  it('builds on Node 24 with `npm install` (see README: not `npm ci`)', () => {
    expect(instructions('FROM').every((from) => from.startsWith('node:24-bookworm-slim'))).toBe(true);
    expect(instructions('RUN').join('\n')).toMatch(/npm install --omit=dev/);
    expect(instructions('RUN').join('\n')).not.toMatch(/npm ci\b/);
  });

  it('runs as a non-root user', () => {
    const user = instructions('USER').at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
  });

  it('runs the worker by default, from an entry file that exists', () => {
    const command = JSON.parse(instructions('CMD').at(-1) ?? 'null') as string[];
    expect(command).toEqual(['npx', 'tsx', 'src/app/worker.ts']);
    expect(existsSync(join(ROOT, command.at(-1)!))).toBe(true);
  });

  it('gives every app service an entry file that exists', () => {
    for (const name of ['worker', 'api', 'bots']) {
      const command = compose.services[name]!.command as string[];
      expect(existsSync(join(ROOT, command.at(-1)!))).toBe(true);
    }
  });

  it('keeps secrets, dependencies and local state out of the build context', async () => {
    const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n').map((line) => line.trim());
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', '.git', '.data', '.tools']));
    for (const needed of ['src', 'workflows', 'activities', 'bots', 'deploy', 'package.json', 'package-lock.json']) expect(ignored).not.toContain(needed);
  });
});
