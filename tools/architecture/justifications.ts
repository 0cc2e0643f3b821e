/**
 * Why each type-only import across the adapter boundary is there, keyed `from → to` as
 * docs/architecture.md lists them. The docs generator renders these; an import without an entry shows
 * as "to be justified".
 */
export const typeOnlyJustifications: Readonly<Record<string, string>> = {};
