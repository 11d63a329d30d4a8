/**
 * Colours honour NO_COLOR (https://no-color.org): with it set, components draw without colour
 * but keep bold, dim and inverse (the cursor stays visible). chalk itself ignores NO_COLOR.
 */
export function colour<T extends string>(name: T): T | undefined {
  return process.env.NO_COLOR ? undefined : name;
}
