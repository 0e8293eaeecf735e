// Database tables that hold models, drafts, trained versions, history and training runs.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModelsSchema {}
