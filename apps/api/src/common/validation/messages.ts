/**
 * @roadmap security.input-validation
 * Look at the messages a client sees when a field is refused: written once, worded alike.
 */
/** Every validation message the API sends, written once so that all fields speak alike. */
export const MESSAGES = {
  blank: "can't be blank",
  notString: 'must be a string',
  notObject: 'must be an object',
  notJsonObject: 'must be a JSON object',
  notAllowed: 'is not an allowed field',
  nulCharacter: 'must not contain the NUL character (\\u0000)',
  wholeNumber: 'must be a whole number',
  tooLong: (max: number) => `is too long (maximum is ${max} characters)`,
  tooShort: (min: number) => `is too short (minimum is ${min} characters)`,
  atLeast: (min: number) => (min === 0 ? 'must be 0 or more' : `must be at least ${min}`),
  atMost: (max: number) => `must be at most ${max}`,
  email: 'is invalid',
  url: 'must be an http(s) URL',
  listOfStrings: 'must be a list of strings',
  blankListItem: "can't contain a blank tag",
  tooManyItems: (max: number) => `may have at most ${max} tags`,
  listItemTooLong: (max: number) => `each tag is at most ${max} characters`,
  nothingToChange: 'must contain at least one field to change',
} as const;
