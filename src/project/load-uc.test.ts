import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupProjects, makeProject } from './__fixtures__/tmp.js';
import { formatDiagnostic } from './diagnostics.js';
import { assignPersonalNames, personalSchemaBase, usersOfRule } from './uc-principals.js';
import { loadAndValidate } from './validate.js';

afterEach(cleanupProjects);

const EXAMPLE = path.resolve(import.meta.dirname, '../../examples/uc-course');

function load(cwd: string) {
  const r = loadAndValidate({ cwd, gitBranch: null });
  return { ...r, lines: r.diagnostics.map((d) => formatDiagnostic(d)) };
}

describe('UC and identity resources in databricks.yml', () => {
  it("loads the seed's world from examples/uc-course without a finding", () => {
    const { project, lines } = load(EXAMPLE);
    expect(lines).toEqual([]);
    const uc = project.uc!;
    expect([uc.groups.length, uc.users.length, uc.catalogs.length, uc.schemas.length, uc.userSchemas.length]).toEqual([2, 9, 5, 16, 1]);
    expect(project.files).toContain('users.json');
    const personal = usersOfRule(uc, uc.userSchemas[0]!.spec);
    expect(personal).toHaveLength(8);
    expect([...assignPersonalNames(personal, new Map(), new Set()).values()]).toContain('chanukya_pekala');
  });

  it('reads users.json in its map form, and reports its errors in users.json with line and column', () => {
    const dir = makeProject({
      'databricks.yml': 'bundle: { name: m }\nidentity:\n  users_file: users.json\nresources:\n  groups:\n    admins: { display_name: platform_admins }\n',
      'users.json': '{\n  "a.b@x.com": { "display_name": "A B", "groups": ["admins"] },\n  "c@x.com": { "groups": ["admns"] }\n}\n',
    });
    const { project, lines } = load(dir);
    expect(project.uc!.users.map((u) => u.spec.user_name)).toEqual(['a.b@x.com', 'c@x.com']);
    expect(lines).toEqual([expect.stringMatching(/^users\.json:3:27: error BY_UNKNOWN_PRINCIPAL .*unknown group key 'admns'.*did you mean 'admins'/)]);
  });

  it('reports unknown principals, privileges that do not apply, duplicates after normalisation and personal-schema collisions', () => {
    const dir = makeProject({
      'databricks.yml': `bundle: { name: v }
resources:
  groups:
    g: { display_name: team, members: [nobody@x.com] }
  users:
    a: { user_name: John.Smith@x.com, groups: [g] }
    b: { user_name: john.smith@X.com }
  catalogs:
    c:
      name: course
      grants:
        - principal: tema
          privileges: [USE_CATALOG, CREATE_CATALOG, SELEKT]
        - principal: \${user}
          privileges: [USE_CATALOG]
  schemas:
    s:
      catalog_name: course
      name: john_smith
  user_schemas:
    personal:
      catalog_name: course
      for: g
`,
    });
    const { lines } = load(dir);
    expect(lines).toEqual([
      expect.stringMatching(/^databricks\.yml:4:40: error BY_UNKNOWN_PRINCIPAL resources\.groups\.g\.members\[0\] — unknown member 'nobody@x\.com'/),
      expect.stringMatching(/^databricks\.yml:7:21: error BY_NAME_COLLISION resources\.users\.b\.user_name — user 'john\.smith@X\.com' is declared twice/),
      expect.stringMatching(/^databricks\.yml:12:22: error BY_UNKNOWN_PRINCIPAL resources\.catalogs\.c\.grants\[0\]\.principal — unknown principal 'tema'.*did you mean 'team'/),
      expect.stringMatching(/^databricks\.yml:13:37: error BY_PRIVILEGE .*privileges\[1\] — privilege CREATE_CATALOG does not apply to a catalog/),
      expect.stringMatching(/^databricks\.yml:13:53: error BY_PRIVILEGE .*privileges\[2\] — unknown privilege 'SELEKT'.*SELECT/),
      expect.stringMatching(/^databricks\.yml:14:22: error BY_UNKNOWN_PRINCIPAL .*grants\[1\]\.principal — '\$\{user\}' names a personal schema's own user/),
      expect.stringMatching(/^databricks\.yml:22:21: error BY_NAME_COLLISION resources\.user_schemas\.personal\.catalog_name — the personal schema of john\.smith@x\.com would be course\.john_smith, which resources\.schemas\.s declares/),
    ]);
  });

  it("refuses schemas and volumes declared in a catalog's system-owned information_schema", () => {
    const dir = makeProject({
      'databricks.yml': `bundle: { name: v }
resources:
  schemas:
    sys:
      catalog_name: main
      name: Information_Schema
  volumes:
    v:
      catalog_name: main
      schema_name: information_schema
      name: files
`,
    });
    const { lines } = load(dir);
    expect(lines).toEqual([
      expect.stringMatching(/^databricks\.yml:6:13: error BY_NAME_COLLISION resources\.schemas\.sys\.name — schema 'main\.Information_Schema' is the catalog's system schema/),
      expect.stringMatching(/^databricks\.yml:10:20: error BY_NAME_COLLISION resources\.volumes\.v\.schema_name — volume 'main\.information_schema\.files' is in the catalog's system schema/),
    ]);
  });
});

describe('personal schema names', () => {
  it('is the lower-cased local part with every other character turned into _', () => {
    expect(personalSchemaBase('Chanukya.Pekala@gmail.com')).toBe('chanukya_pekala');
    expect(personalSchemaBase('o+n-e@x.org')).toBe('o_n_e');
  });

  it('de-duplicates with _2, _3 in the order of the user names; a name once given stays when others leave', () => {
    const users = ['john.smith@b.com', 'John.Smith@a.com', 'john_smith@c.com'];
    const first = assignPersonalNames(users, new Map(), new Set());
    expect(Object.fromEntries(first)).toEqual({ 'john.smith@a.com': 'john_smith', 'john.smith@b.com': 'john_smith_2', 'john_smith@c.com': 'john_smith_3' });
    // the first user leaves: the others keep their names (recorded on their schemas); the retired schema keeps its name too
    const given = new Map([...first].filter(([u]) => u !== 'john.smith@a.com'));
    const next = assignPersonalNames(['john.smith@b.com', 'john_smith@c.com', 'john+smith@d.com'], given, new Set(['john_smith']));
    expect(Object.fromEntries(next)).toEqual({ 'john.smith@b.com': 'john_smith_2', 'john_smith@c.com': 'john_smith_3', 'john+smith@d.com': 'john_smith_4' });
  });
});
