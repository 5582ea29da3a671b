import { beforeAll, describe, expect, it } from "vitest";
import { maskSql } from "./sql-mask";
import { fingerprintSql, hasPlaceholders, isSingleSelect, loadSqlParser, normalizeSql, redactSql, TRUNCATED_MARK } from "./sql-text";

beforeAll(async () => {
  await loadSqlParser();
});

// Values that must never reach a viewer.
const SECRETS = ["1990-01-02", "Pune", "Jaipur", "Varanasi", "07:45", "1985", "secret", "Ünïcødé", "s3cr3t", "bob@example.com"];

const expectNoSecrets = (shown: string) => {
  for (const s of SECRETS) expect(shown, `leaked ${s} in ${shown}`).not.toContain(s);
};

describe("normalizeSql", () => {
  it.each([
    ["select * from users where birth_date = '1990-01-02' and id = 5", "select * from users where birth_date = $1 and id = $2"],
    ["insert into birth_charts (place, ts) values ('Pune', '1990-01-02 07:45')", "insert into birth_charts (place, ts) values ($1, $2)"],
    ["select $1, $$Varanasi$$", "select $1, $2"],
    ["select date '1990-01-02', interval '1 day'", "select date $1, interval $2"],
  ])("%s", (input, expected) => {
    expect(normalizeSql(input)).toBe(expected);
  });

  it("returns null for text that does not parse", () => {
    expect(normalizeSql("select * from t where a = 'unterminated")).toBeNull();
    expect(normalizeSql("selec 1")).toBeNull();
  });
});

describe("fingerprintSql", () => {
  it("groups statements that differ only in constants", () => {
    const a = fingerprintSql("select * from users where birth_place = 'Pune' and id = 1");
    const b = fingerprintSql("SELECT * FROM users WHERE birth_place = 'Jaipur' AND id = 99");
    const normalized = fingerprintSql("select * from users where birth_place = $1 and id = $2");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
    // pg_stat_statements rows (already normalized) group with the raw statements of the log.
    expect(normalized).toBe(a);
    expect(fingerprintSql("select * from users where id = 1")).not.toBe(a);
  });

  it("gives truncated text a stable id that ignores its literals", () => {
    const a = fingerprintSql("select * from users where place = 'Pune' and note = 'cut off her");
    const b = fingerprintSql("select * from users where place = 'Jaipur' and note = 'also cut");
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).toBe(a);
  });
});

describe("redactSql", () => {
  it.each([
    ["parsed literals", "select * from users where birth_date = '1990-01-02' and birth_place = 'Pune'", "select * from users where birth_date = $1 and birth_place = $2"],
    ["numbers", "select * from charts where birth_year = 1985 and hour = 7.45", "select * from charts where birth_year = $1 and hour = $2"],
    ["comments with personal data", "select 1 -- Pune, born 1990-01-02\n/* s3cr3t */ from t", "select $1\nfrom t"],
    ["dollar quoting", "select $tag$Varanasi$tag$, $$Jaipur$$", "select $1, $2"],
    ["unicode", "select 'Ünïcødé' as name, \"naïve col\" from t", "select $1 as name, \"naïve col\" from t"],
    ["escape strings", "select E'Pune\\'s', U&'secret'", "select $1, $2"],
    ["COPY file name kept by the normalizer", "copy t from '/home/bob@example.com/secret.csv'", "copy t from $1"],
    ["passwords", "alter role bob password 's3cr3t'", "alter role bob password $1"],
  ])("%s", (_name, input, expected) => {
    const shown = redactSql(input);
    expect(shown).toBe(expected);
    expectNoSecrets(shown);
  });

  it.each([
    ["cut inside a string", "insert into users(name, place) values ('Asha', 'Pun", "insert into users(name, place) values ($1, $2"],
    ["cut inside E string", "select E'Pune\\' and 1985", "select $1"],
    ["cut inside dollar quote", "select $x$Varanasi 1985 and more", "select $1"],
    ["cut inside comment", "select a from t where b = 1985 /* Jaipur", "select a from t where b = $1"],
    ["cut after numbers", "select t1.a, 1985, 1.5e3, 0x1F from t1 where x = -1985 and", "select t1.a, $1, $2, $3 from t1 where x = -$4 and"],
    ["keeps placeholders", "select * from t where a = $1 and b = 'Pune' and", "select * from t where a = $1 and b = $2 and"],
    ["cut inside a quoted identifier", "select \"Varanasi", "select"],
  ])("unparsed: %s", (_name, input, expected) => {
    const shown = redactSql(input);
    expect(shown).toBe(expected + TRUNCATED_MARK);
    expectNoSecrets(shown);
  });

  it("never shows raw text, whatever the input (hostile inputs)", () => {
    const hostile = [
      "select '1990-01-02'; delete from users where place = 'Pune'",
      "select 1 /* nested /* Jaipur */ 1985 */, 's3cr3t'",
      "select $a$ $b$ Pune $b$ $a$",
      "select 'it''s Pune', e'\\\\' , 'Jaipur'",
      "select 'bob@example.com'::text collate \"C\"",
      "with x as (select 'Varanasi' as p) select * from x where p <> 'Jaipur' limit 1985",
      "SELECT '1990-01-02' UNION SELECT 'Pune",
      "select x'1985', b'1010', n'Pune'",
    ];
    for (const h of hostile) expectNoSecrets(redactSql(h));
  });
});

describe("maskSql", () => {
  it("reports placeholders and completeness", () => {
    expect(maskSql("select $1").hadPlaceholders).toBe(true);
    expect(maskSql("select a$1 from t").hadPlaceholders).toBe(false);
    expect(maskSql("select 'a").complete).toBe(false);
    expect(maskSql("select 'a'").complete).toBe(true);
  });
  it("numbers its placeholders after those present", () => {
    expect(maskSql("select $3, 'x', 5").text).toBe("select $3, $4, $5");
  });
});

describe("isSingleSelect", () => {
  it.each([
    ["plain select", "select * from users where id = 1", true],
    ["with placeholders", "select * from users where id = $1", true],
    ["read-only CTE", "with a as (select 1) select * from a", true],
    ["union", "select 1 union all select 2", true],
    ["values", "values (1), (2)", true],
    ["trailing semicolon and comment", "select 1; -- done", true],
    ["comment hiding nothing", "select 1 /* ; delete from users */", true],
    ["unicode literal", "select 'Ünïcødé'", true],
    ["two statements", "select 1; delete from users", false],
    ["two selects", "select 1; select 2", false],
    ["delete behind a comment line", "select 1 --\n; delete from users", false],
    ["data-modifying CTE", "with d as (delete from users returning *) select * from d", false],
    ["nested data-modifying CTE", "select * from (with u as (update t set a = 1 returning a) select * from u) s", false],
    ["insert CTE", "with i as (insert into t values (1) returning *) select 1", false],
    ["select into", "select * into copy_of_users from users", false],
    ["for update", "select * from users for update", false],
    ["for share in a subquery", "select * from (select * from users for share) s", false],
    ["for no key update skip locked", "select * from users for no key update skip locked", false],
    ["insert", "insert into users values (1)", false],
    ["explain", "explain select 1", false],
    // Functions are judged on the target's catalog (explain-rule.ts), not by name here.
    ["volatile function: shape only", "select nextval('s')", true],
    ["SQL-running function: shape only", "select * from ts_stat($$select 1$$)", true],
    ["harmless function", "select lower(name), count(*) from users group by 1", true],
    ["does not parse", "select * from t where a = 'cut", false],
    ["empty", "", false],
    ["dollar-quoted DO", "do $$ begin delete from t; end $$", false],
  ])("%s", (_name, input, expected) => {
    expect(isSingleSelect(input)).toBe(expected);
  });
});

describe("hasPlaceholders", () => {
  it.each([
    ["select * from t where a = $1", true],
    ["select * from t where a = 1", false],
    ["select '$1'", false],
    ["select $$ $1 $$", false],
    ["select * from t where a = $2 and b = 'cut", true],
    ["select 'cut $1", false],
  ])("%s", (input, expected) => {
    expect(hasPlaceholders(input)).toBe(expected);
  });
});
