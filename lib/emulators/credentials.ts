/** Emulators accept any credentials; fixed ones keep the SDK from looking for real ones. */
export const dummyCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
