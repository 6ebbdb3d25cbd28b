/** Every REST route lives under this prefix: /api/articles, /api/users, ... */
export const API_PREFIX = 'api';
