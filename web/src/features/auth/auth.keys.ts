export const authKeys = {
  me: () => ['get', '/api/v1/me'] as const,
};
