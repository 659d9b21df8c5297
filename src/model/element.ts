/**
 * A typed view of the object tree bpmn-moddle builds, and small accessors over it.
 *
 * Moddle elements carry `$type` (`bpmn:ServiceTask`, `camunda:InputOutput`), their
 * properties by local name (`id`, `sourceRef`, `extensionElements`, `topic` …), and
 * `$attrs` for attributes no descriptor knows. The compiler reads them only through
 * these helpers, so no `any` leaks in.
 */

/** One element of the moddle tree. */
export interface MElement {
  readonly $type: string;
  readonly $attrs?: Readonly<Record<string, string>>;
  readonly $parent?: MElement;
  readonly [property: string]: unknown;
}

/** True when `v` looks like a moddle element. */
export function isElement(v: unknown): v is MElement {
  return typeof v === 'object' && v !== null && typeof (v as { $type?: unknown }).$type === 'string';
}

/** The string property `prop`, or undefined. */
export function str(el: MElement, prop: string): string | undefined {
  const v = el[prop];
  return typeof v === 'string' ? v : undefined;
}

/** The boolean property `prop`, or undefined. */
export function bool(el: MElement, prop: string): boolean | undefined {
  const v = el[prop];
  return typeof v === 'boolean' ? v : undefined;
}

/** The single element property `prop` (a child or a resolved reference), or undefined. */
export function child(el: MElement, prop: string): MElement | undefined {
  const v = el[prop];
  return isElement(v) ? v : undefined;
}

/** The many-valued element property `prop`, empty when absent. */
export function children(el: MElement, prop: string): readonly MElement[] {
  const v = el[prop];
  return Array.isArray(v) ? v.filter(isElement) : [];
}

/**
 * The `language` of an expression element: a property of `bpmn:FormalExpression`, or an
 * unknown attribute of a plain `bpmn:Expression` written without `xsi:type`.
 */
export function languageOf(el: MElement): string | undefined {
  return str(el, 'language') ?? el.$attrs?.['language'];
}

/** The values of `<extensionElements>`, empty when absent. */
export function extensionValues(el: MElement): readonly MElement[] {
  const ext = child(el, 'extensionElements');
  return ext === undefined ? [] : children(ext, 'values');
}

/** The element's `id`, or undefined. */
export function idOf(el: MElement): string | undefined {
  return str(el, 'id');
}

/** Local name of the element kind as written in XML: `bpmn:ServiceTask` → `serviceTask`. */
export function kindOf(el: MElement): string {
  const local = el.$type.slice(el.$type.indexOf(':') + 1);
  return local.charAt(0).toLowerCase() + local.slice(1);
}

/** Namespace prefix of the element's type as moddle knows it: `bpmn`, `camunda`, `zeebe`, or another. */
export function prefixOf(el: MElement): string {
  const i = el.$type.indexOf(':');
  return i < 0 ? '' : el.$type.slice(0, i);
}
