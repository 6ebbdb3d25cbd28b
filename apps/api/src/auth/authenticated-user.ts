/** What a guard puts on the request for a signed-in user, with the token it presented. */
export interface AuthenticatedUser {
  id: number;
  email: string;
  username: string;
  bio: string | null;
  image: string | null;
  token: string;
}
