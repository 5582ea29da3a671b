// The document title with the firing count in front ("2 firing · Overview · pgpulse"), so a
// background tab says whether something fires. Pure, for the effect below and its tests.

const PREFIX = /^\d+ firing · /;

export function titleWithCount(title: string, firing: number | null): string {
  const base = title.replace(PREFIX, "");
  return firing !== null && firing > 0 ? `${firing} firing · ${base}` : base;
}
