import type {
  ListTypeRecord,
  MatterRecord,
  MeasureRecord,
  MemorandumRecord,
  ReferenceRecord,
} from '../datasets/reference';

/**
 * The reference data read model: list types, memoranda, measures and matters kept by the credit
 * office, with the links between them (matter → measures → memorandum → list types).
 */
export interface Catalogue {
  readonly listTypes: ReadonlyMap<string, ListTypeRecord>;
  readonly memoranda: ReadonlyMap<string, MemorandumRecord>;
  readonly measures: ReadonlyMap<string, MeasureRecord>;
  readonly matters: ReadonlyMap<string, MatterRecord>;
}

export function buildCatalogue(records: Iterable<ReferenceRecord>): Catalogue {
  const listTypes = new Map<string, ListTypeRecord>();
  const memoranda = new Map<string, MemorandumRecord>();
  const measures = new Map<string, MeasureRecord>();
  const matters = new Map<string, MatterRecord>();
  for (const record of records) {
    switch (record.dataset) {
      case 'list-type':
        listTypes.set(record.code, record);
        break;
      case 'memorandum':
        memoranda.set(record.number, record);
        break;
      case 'measure':
        measures.set(record.code, record);
        break;
      case 'matter':
        matters.set(record.code, record);
        break;
    }
  }
  return { listTypes, memoranda, measures, matters };
}

export const emptyCatalogue: Catalogue = buildCatalogue([]);

/**
 * The list types a measure applies to: those its memorandum names (适用名单类型代码) plus those
 * whose own 备忘录文号 is that memorandum — either side of the link is enough.
 */
export function listTypesOfMeasure(catalogue: Catalogue, measure: MeasureRecord): string[] {
  const codes = new Set(catalogue.memoranda.get(measure.memorandumNumber)?.listTypeCodes ?? []);
  for (const listType of catalogue.listTypes.values()) {
    if (listType.memorandumNumber === measure.memorandumNumber) codes.add(listType.code);
  }
  return [...codes].sort();
}

/** Measures attached to a matter, in the order the matter lists them; unknown codes are skipped. */
export function measuresOfMatter(catalogue: Catalogue, matter: MatterRecord): MeasureRecord[] {
  return matter.measureCodes.flatMap((code) => {
    const measure = catalogue.measures.get(code);
    return measure ? [measure] : [];
  });
}

export interface ConsistencyReport {
  readonly counts: { listTypes: number; memoranda: number; measures: number; matters: number };
  readonly consistent: boolean;
  readonly mattersWithoutMeasures: { code: string; name: string }[];
  readonly mattersWithUnknownMeasures: { code: string; name: string; unknownMeasureCodes: string[] }[];
  readonly measuresWithoutMatter: { code: string; content: string }[];
  readonly listTypesWithoutMemorandum: { code: string; name: string }[];
  readonly measuresWithUnknownMemorandum: { code: string; memorandumNumber: string }[];
  readonly memorandaWithUnknownListTypes: { number: string; unknownListTypeCodes: string[] }[];
}

/**
 * What the source documents require and the catalogue does not yet give: every matter must map to
 * concrete measures, every measure to a matter, every list type to a memorandum that uses it.
 */
export function consistencyReport(catalogue: Catalogue): ConsistencyReport {
  const byCode = <T>(items: T[], code: (item: T) => string) =>
    items.sort((a, b) => code(a).localeCompare(code(b)));
  const matters = [...catalogue.matters.values()];
  const measures = [...catalogue.measures.values()];
  const memoranda = [...catalogue.memoranda.values()];
  const attached = new Set(matters.flatMap((matter) => matter.measureCodes));
  const usedListTypes = new Set(memoranda.flatMap((memorandum) => memorandum.listTypeCodes));

  const mattersWithoutMeasures = byCode(
    matters.filter((matter) => measuresOfMatter(catalogue, matter).length === 0),
    (m) => m.code,
  ).map((m) => ({ code: m.code, name: m.name }));
  const mattersWithUnknownMeasures = byCode(matters, (m) => m.code).flatMap((matter) => {
    const unknownMeasureCodes = matter.measureCodes.filter((code) => !catalogue.measures.has(code));
    return unknownMeasureCodes.length > 0
      ? [{ code: matter.code, name: matter.name, unknownMeasureCodes }]
      : [];
  });
  const measuresWithoutMatter = byCode(
    measures.filter((measure) => !attached.has(measure.code)),
    (m) => m.code,
  ).map((m) => ({ code: m.code, content: m.content }));
  const listTypesWithoutMemorandum = byCode(
    [...catalogue.listTypes.values()].filter(
      (listType) =>
        !usedListTypes.has(listType.code) &&
        !(listType.memorandumNumber && catalogue.memoranda.has(listType.memorandumNumber)),
    ),
    (l) => l.code,
  ).map((l) => ({ code: l.code, name: l.name }));
  const measuresWithUnknownMemorandum = byCode(
    measures.filter((measure) => !catalogue.memoranda.has(measure.memorandumNumber)),
    (m) => m.code,
  ).map((m) => ({ code: m.code, memorandumNumber: m.memorandumNumber }));
  const memorandaWithUnknownListTypes = byCode(memoranda, (m) => m.number).flatMap((memorandum) => {
    const unknownListTypeCodes = memorandum.listTypeCodes.filter((code) => !catalogue.listTypes.has(code));
    return unknownListTypeCodes.length > 0 ? [{ number: memorandum.number, unknownListTypeCodes }] : [];
  });
  return {
    counts: {
      listTypes: catalogue.listTypes.size,
      memoranda: catalogue.memoranda.size,
      measures: catalogue.measures.size,
      matters: catalogue.matters.size,
    },
    consistent:
      mattersWithoutMeasures.length +
        mattersWithUnknownMeasures.length +
        measuresWithoutMatter.length +
        listTypesWithoutMemorandum.length +
        measuresWithUnknownMemorandum.length +
        memorandaWithUnknownListTypes.length ===
      0,
    mattersWithoutMeasures,
    mattersWithUnknownMeasures,
    measuresWithoutMatter,
    listTypesWithoutMemorandum,
    measuresWithUnknownMemorandum,
    memorandaWithUnknownListTypes,
  };
}
