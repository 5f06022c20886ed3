// Console (browser): the address of the console's sign-in screen, for the console's router (app.ts) and for the
// pages beside the console that send a person there with his company id filled in (the Password Change Screen).
// The company id is no secret; nothing else ever goes into the address.

/** The sign-in screen's path in the console's hash router. */
export const SIGN_IN = '/sign-in';

/** The query parameter of the sign-in's address that fills in the Company ID field. */
export const COMPANY_PARAMETER = 'company';

/** The sign-in screen of the console served at `consoleUrl` (the API's root, e.g. https://…/prod/), for `companyId`. */
export const signInLink = (consoleUrl: string, companyId: string): string =>
  `${consoleUrl}#${SIGN_IN}?${new URLSearchParams({ [COMPANY_PARAMETER]: companyId })}`;
