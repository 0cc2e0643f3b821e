/** A whole number from `min` to `max` given for `--<option>`, else the default. */
export function wholeNumberOption(
  option: string,
  value: string | undefined,
  range: { readonly min: number; readonly max: number; readonly default: number },
): number {
  if (value === undefined) return range.default;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < range.min || number > range.max)
    throw new RangeError(`--${option} must be a whole number from ${range.min} to ${range.max}`);
  return number;
}
