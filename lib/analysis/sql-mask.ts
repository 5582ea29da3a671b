// A conservative SQL lexer for text the parser rejects (most often a statement cut off at
// track_activity_query_size). It never tries to understand the statement: it only finds
// comments, string literals and numbers, and replaces them, so nothing typed by a user
// (birth dates, places, e-mail addresses) survives. When in doubt it masks more, not less.

export interface MaskOptions {
  /** Mask numeric literals too (the parse-based path leaves typmods such as varchar(20)). */
  numbers: boolean;
}

export interface MaskResult {
  text: string;
  /** Placeholders found in the input ($1, $2 ...), before masking. */
  hadPlaceholders: boolean;
  /** False when the text ended inside a literal, comment or quoted identifier. */
  complete: boolean;
}

// Identifier characters per the PostgreSQL lexer; any non-ASCII character counts as a letter.
const isIdentStart = (c: string) => /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
const isIdentChar = (c: string) => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;
const isDigit = (c: string) => c >= "0" && c <= "9";

const STRING_PREFIXES = new Set(["e", "b", "x", "n", "u&"]);

export function maskSql(input: string, opts: MaskOptions = { numbers: true }): MaskResult {
  // Number our placeholders after any the text already has, so they cannot collide.
  let next = 1;
  for (const m of input.matchAll(/\$(\d+)/g)) next = Math.max(next, Number(m[1]) + 1);
  const placeholder = () => `$${next++}`;

  let out = "";
  let i = 0;
  let complete = true;
  let hadPlaceholders = false;
  const n = input.length;
  let prevIdent = false; // was the last emitted token an identifier/keyword character?

  while (i < n) {
    const c = input[i];
    const c2 = input.slice(i, i + 2);

    if (c2 === "--") {
      const end = input.indexOf("\n", i);
      i = end === -1 ? n : end;
      out += " ";
      prevIdent = false;
      continue;
    }
    if (c2 === "/*") {
      // Block comments nest in PostgreSQL.
      let depth = 0;
      let j = i;
      while (j < n) {
        if (input.startsWith("/*", j)) { depth++; j += 2; }
        else if (input.startsWith("*/", j)) { depth--; j += 2; if (depth === 0) break; }
        else j++;
      }
      if (depth !== 0) complete = false;
      i = j;
      out += " ";
      prevIdent = false;
      continue;
    }
    if (c === "'") {
      const end = scanQuoted(input, i, false);
      out += placeholder();
      if (end === -1) { complete = false; break; }
      i = end;
      prevIdent = false;
      continue;
    }
    if (c === '"') {
      // Quoted identifiers are kept; a cut-off one is dropped (it may be a literal's remains).
      let j = i + 1;
      for (;;) {
        const k = input.indexOf('"', j);
        if (k === -1) { j = -1; break; }
        if (input[k + 1] === '"') { j = k + 2; continue; }
        j = k + 1;
        break;
      }
      if (j === -1) { complete = false; break; }
      out += input.slice(i, j);
      i = j;
      prevIdent = true;
      continue;
    }
    if (c === "$" && !prevIdent) {
      const param = /^\$(\d+)/.exec(input.slice(i, i + 12));
      if (param) {
        out += param[0];
        hadPlaceholders = true;
        i += param[0].length;
        prevIdent = true;
        continue;
      }
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(input.slice(i, i + 70));
      if (tag) {
        const close = input.indexOf(tag[0], i + tag[0].length);
        out += placeholder();
        if (close === -1) { complete = false; break; }
        i = close + tag[0].length;
        prevIdent = false;
        continue;
      }
    }
    if (isIdentStart(c) && !prevIdent) {
      let j = i + 1;
      while (j < n && isIdentChar(input[j])) j++;
      const word = input.slice(i, j);
      // E'…', B'…', X'…', N'…', U&'…': the prefix belongs to the literal.
      const lower = word.toLowerCase();
      if (input[j] === "'" && STRING_PREFIXES.has(lower)) {
        const end = scanQuoted(input, j, lower === "e");
        out += placeholder();
        if (end === -1) { complete = false; break; }
        i = end;
        prevIdent = false;
        continue;
      }
      if (lower === "u" && input.startsWith("&'", j)) {
        const end = scanQuoted(input, j + 1, false);
        out += placeholder();
        if (end === -1) { complete = false; break; }
        i = end;
        prevIdent = false;
        continue;
      }
      out += word;
      i = j;
      prevIdent = true;
      continue;
    }
    if (!prevIdent && (isDigit(c) || (c === "." && isDigit(input[i + 1] ?? "")))) {
      // Numbers, including 1.5e3, 0x1F, 1_000; trailing identifier characters are swallowed.
      let j = i;
      while (j < n && (isIdentChar(input[j]) || input[j] === "." ||
        ((input[j] === "+" || input[j] === "-") && /[eE]/.test(input[j - 1]) && isDigit(input[i])))) j++;
      out += opts.numbers ? placeholder() : input.slice(i, j);
      i = j;
      prevIdent = true;
      continue;
    }
    out += c;
    prevIdent = isIdentChar(c);
    i++;
  }
  return { text: out, hadPlaceholders, complete };
}

/** Index just past the closing quote of the literal opening at `start`, or -1 if cut off. */
function scanQuoted(s: string, start: number, backslashEscapes: boolean): number {
  let j = start + 1;
  while (j < s.length) {
    const ch = s[j];
    if (backslashEscapes && ch === "\\") { j += 2; continue; }
    if (ch === "'") {
      if (s[j + 1] === "'") { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return -1;
}
