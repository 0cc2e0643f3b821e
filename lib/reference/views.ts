import type { ListTypeRecord, MatterRecord, MeasureRecord, MemorandumRecord } from '../datasets/reference';
import { type Catalogue, listTypesOfMeasure, measuresOfMatter } from './catalogue';

/** What GET /v1/list-types, /v1/matters and /v1/measures show (the stored rows without provenance). */
export function listTypeView(listType: ListTypeRecord, catalogue: Catalogue) {
  const { dataset: _d, agencyCode: _a, ...view } = listType;
  const memoranda = [...catalogue.memoranda.values()]
    .filter(
      (memorandum) =>
        memorandum.listTypeCodes.includes(listType.code) || memorandum.number === listType.memorandumNumber,
    )
    .map((memorandum) => ({ number: memorandum.number, name: memorandum.name, nature: memorandum.nature }));
  return {
    ...view,
    nature: listType.nature,
    colour: listType.nature === '红名单' ? 'red' : 'black',
    memoranda,
  };
}

export function memorandumView(memorandum: MemorandumRecord) {
  const { dataset: _d, agencyCode: _a, ...view } = memorandum;
  return view;
}

export function measureView(measure: MeasureRecord, catalogue: Catalogue) {
  const { dataset: _d, agencyCode: _a, ...view } = measure;
  const memorandum = catalogue.memoranda.get(measure.memorandumNumber);
  return {
    ...view,
    memorandum: { number: measure.memorandumNumber, ...(memorandum ? { name: memorandum.name } : {}) },
    listTypeCodes: listTypesOfMeasure(catalogue, measure),
  };
}

export function matterView(matter: MatterRecord, catalogue: Catalogue) {
  const { dataset: _d, agencyCode: _a, ...view } = matter;
  return { ...view, measureCount: measuresOfMatter(catalogue, matter).length };
}
