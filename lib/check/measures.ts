import type { MatterRecord, MeasureRecord, MeasureTarget } from '../datasets/reference';
import type { ListHit } from '../matching/screen';
import { type Catalogue, listTypesOfMeasure, measuresOfMatter } from '../reference/catalogue';

/** A measure that applies to this check: what to do, to whom, how binding, and which hits call for it. */
export interface ApplicableMeasure {
  readonly code: string;
  readonly category: string;
  /** 激励 (incentive) or 惩戒 (sanction). */
  readonly nature: MeasureRecord['nature'];
  /** 必须 (binding) or 参考 (discretionary), as the catalogue defines the measure. */
  readonly binding: MeasureRecord['binding'];
  /** Binding for this check: a 必须 measure triggered by at least one confirmed hit. */
  readonly mandatory: boolean;
  /** confirmed: at least one confirmed hit calls for it; possible: only name-only hits do. */
  readonly confidence: 'confirmed' | 'possible';
  readonly content: string;
  /** The measure's targets that this check's hits reach (主体 / 法定代表人 / 自然人…). */
  readonly target: readonly MeasureTarget[];
  readonly implementingDepartment: string;
  readonly section?: string;
  readonly basis?: string;
  readonly memorandum: { readonly number: string; readonly name?: string };
  readonly triggeredBy: readonly { entryId: string; listTypeCode: string; status: ListHit['status'] }[];
  readonly note?: string;
}

export interface Convenience {
  readonly code: string;
  readonly category: string;
  readonly content: string;
  readonly implementingDepartment: string;
}

/**
 * Whom a hit makes subject to measures: a listed organisation (or 个体工商户) is the 主体; a listed
 * person is the 主体 and a 自然人; a person whose organisation is listed is its 法定代表人.
 */
export function targetsReachedBy(hit: ListHit): readonly MeasureTarget[] {
  if (hit.matchedBy.relation === 'legal-representative') return ['法定代表人'];
  if (hit.subjectKind === 'person' || hit.subjectKey.startsWith('ID#')) return ['主体', '自然人'];
  return ['主体'];
}

const POSSIBLE_ONLY_NOTE =
  'called for only by a possible (name-only) hit: verify the identity first; it is not binding on this basis';

/**
 * The measures of a matter that apply given the hits: matter → measures; measure → memorandum →
 * list types; kept when a hit is on one of those list types and reaches one of the measure's targets.
 */
export function selectMeasures(
  catalogue: Catalogue,
  matter: MatterRecord,
  hits: readonly ListHit[],
): { measures: ApplicableMeasure[]; conveniences: Convenience[] } {
  const measures: ApplicableMeasure[] = [];
  for (const measure of measuresOfMatter(catalogue, matter)) {
    const listTypes = new Set(listTypesOfMeasure(catalogue, measure));
    const reached = new Set<MeasureTarget>();
    const triggering = hits.filter((hit) => {
      if (!listTypes.has(hit.listTypeCode)) return false;
      const targets = targetsReachedBy(hit).filter((target) => measure.targets.includes(target));
      for (const target of targets) reached.add(target);
      return targets.length > 0;
    });
    if (triggering.length === 0) continue;
    const confidence = triggering.some((hit) => hit.status === 'confirmed') ? 'confirmed' : 'possible';
    const memorandum = catalogue.memoranda.get(measure.memorandumNumber);
    measures.push({
      code: measure.code,
      category: measure.category,
      nature: measure.nature,
      binding: measure.binding,
      mandatory: measure.binding === '必须' && confidence === 'confirmed',
      confidence,
      content: measure.content,
      target: measure.targets.filter((target) => reached.has(target)),
      implementingDepartment: measure.implementingDepartment,
      ...(measure.section ? { section: measure.section } : {}),
      ...(measure.basis ? { basis: measure.basis } : {}),
      memorandum: { number: measure.memorandumNumber, ...(memorandum ? { name: memorandum.name } : {}) },
      triggeredBy: triggering.map((hit) => ({
        entryId: hit.entryId,
        listTypeCode: hit.listTypeCode,
        status: hit.status,
      })),
      ...(confidence === 'possible' ? { note: POSSIBLE_ONLY_NOTE } : {}),
    });
  }
  // Conveniences (绿色通道, 容缺受理, 告知承诺…): the incentive measures a confirmed red-list hit earns.
  const conveniences = measures
    .filter((measure) => measure.nature === '激励' && measure.confidence === 'confirmed')
    .map((measure) => ({
      code: measure.code,
      category: measure.category,
      content: measure.content,
      implementingDepartment: measure.implementingDepartment,
    }));
  return { measures, conveniences };
}
