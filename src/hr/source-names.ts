/**
 * The HR systems with their own webhook format and directory, by the name
 * their route and stored employees carry. Apart from the vendors' modules so
 * that naming one does not load its schemas.
 */
export const BAMBOOHR_SOURCE = "bamboohr";
export const HIBOB_SOURCE = "hibob";
