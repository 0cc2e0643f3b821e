/** Public API of the identifier modules: validation, classification and masking of subject codes. */
export {
  type BusinessRegistrationNumberFailureCode,
  type BusinessRegistrationNumberInvalid,
  type BusinessRegistrationNumberResult,
  type BusinessRegistrationNumberValid,
  type ClassifySubjectCodeOptions,
  classifySubjectCode,
  computeBusinessRegistrationCheckDigit,
  type SubjectCodeAttempt,
  type SubjectCodeCandidate,
  type SubjectCodeClassification,
  type SubjectCodeFailureCode,
  type SubjectCodeRecognised,
  type SubjectCodeType,
  type SubjectCodeUnrecognised,
  validateBusinessRegistrationNumber,
} from './classify';
export { COMPOUND_SURNAMES, maskIdentifier, maskPersonName, maskResidentId } from './mask';
export { normaliseCode } from './normalize';
export {
  computeOrganisationCheckCharacter,
  formatOrganisationCode,
  ORGANISATION_CODE_WEIGHTS,
  type OrganisationCodeFailureCode,
  type OrganisationCodeInvalid,
  type OrganisationCodeResult,
  type OrganisationCodeValid,
  organisationCodeFromUscc,
  validateOrganisationCode,
} from './organisation-code';
export {
  computeResidentIdCheckCharacter,
  convertId15To18,
  RESIDENT_ID_WEIGHTS,
  type ResidentIdFailureCode,
  type ResidentIdInvalid,
  type ResidentIdResult,
  type ResidentIdValid,
  type Sex,
  type ValidateResidentIdOptions,
  validateResidentId,
} from './resident-id';
export {
  AllowListParseError,
  computeUsccCheckCharacter,
  isUsccPlaceholder,
  parseAllowList,
  USCC_ALPHABET,
  USCC_LENGTH,
  USCC_PLACEHOLDER,
  USCC_WEIGHTS,
  type UsccFailureCode,
  type UsccInvalid,
  type UsccResult,
  type UsccValid,
  type ValidateUsccOptions,
  validateUscc,
} from './uscc';
