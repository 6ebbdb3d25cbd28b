/**
 * @roadmap testing.unit, auth.registration-login, security.xss
 * Look at the account emails checked from plain data: who they go to, the single-use link and
 * code they carry (the only place the raw token ever is), escaping in HTML, and a Message-ID
 * named after the request it answers.
 */
import { emailChangedEmail, passwordResetEmail, verifyEmailEmail } from './emails';

const publicUrl = 'https://conduit.example.com/';
const bob = { email: 'bob@example.com', username: 'bob' };
const token = 'AbC-123_xyzAbC-123_xyzAbC-123_xyzAbC-123_xy';

describe('verifyEmailEmail', () => {
  const input = { to: bob, token, validForHours: 24, requestId: '17', publicUrl };

  it('sends the link and the code to the address being verified', () => {
    const message = verifyEmailEmail(input);
    expect(message.to).toBe('bob@example.com');
    expect(message.subject).toBe('Confirm your email address for Conduit');
    expect(message.text).toContain('Hi bob,');
    expect(message.text).toContain('Please confirm that bob@example.com is the email address of your Conduit account.');
    expect(message.text).toContain('(it works once, for 24 hours)');
    expect(message.text).toContain(`\nhttps://conduit.example.com/verify-email?token=${token}\n`);
    expect(message.text).toContain(`\n${token}\n`);
    expect(message.html).toContain(`<a href="https://conduit.example.com/verify-email?token=${token}">`);
    expect(message.html).toContain(`<code>${token}</code>`);
    expect(message.messageId).toBe('<verify-email.17.bob@conduit.example.com>');
    expect(message.headers).toEqual({ 'Auto-Submitted': 'auto-generated' });
  });

  it('percent-encodes the token in the link and escapes names in HTML', () => {
    const message = verifyEmailEmail({
      ...input,
      token: 'a+b/c=&d',
      to: { email: 'x"<y>@example.com', username: '<script>' },
    });
    expect(message.text).toContain('https://conduit.example.com/verify-email?token=a%2Bb%2Fc%3D%26d');
    expect(message.html).not.toMatch(/<script|<y>/);
    expect(message.html).toContain('<p>Hi &lt;script&gt;,</p>');
    expect(message.html).toContain('<strong>x&quot;&lt;y&gt;@example.com</strong>');
  });

  it('refuses a lifetime that is not a whole number of hours', () => {
    expect(() => verifyEmailEmail({ ...input, validForHours: 0.5 })).toThrow(RangeError);
  });
});

describe('passwordResetEmail', () => {
  it('sends a one-hour link to the reset page, and says the password stays if ignored', () => {
    const message = passwordResetEmail({ to: bob, token, validForHours: 1, requestId: '18', publicUrl });
    expect(message.to).toBe('bob@example.com');
    expect(message.subject).toBe('Reset your Conduit password');
    expect(message.text).toContain('(it works once, for 1 hour)');
    expect(message.text).toContain(`https://conduit.example.com/reset-password?token=${token}`);
    expect(message.text).toContain(`\n${token}\n`);
    expect(message.text).toContain('your password stays as it is.');
    expect(message.html).toContain(`<a href="https://conduit.example.com/reset-password?token=${token}">`);
    expect(message.messageId).toBe('<password-reset.18.bob@conduit.example.com>');
  });
});

describe('emailChangedEmail', () => {
  const input = {
    to: { email: 'new@example.com', username: 'bob' },
    previousEmail: 'old@example.com',
    newEmail: 'new@example.com',
    requestId: '19',
    publicUrl,
  };

  it('goes to the previous address, names both, and carries no link that signs in', () => {
    const message = emailChangedEmail(input);
    expect(message.to).toBe('old@example.com');
    expect(message.subject).toBe('The email address of your Conduit account was changed');
    expect(message.text).toContain(
      'The email address of your Conduit account was changed from old@example.com to new@example.com.',
    );
    expect(message.text).toContain('https://conduit.example.com/settings');
    expect(message.text).not.toMatch(/token=/);
    expect(message.html).toContain('<strong>old@example.com</strong>');
    expect(message.html).toContain('<strong>new@example.com</strong>');
    expect(message.messageId).toBe('<email-changed.19.bob@conduit.example.com>');
  });

  it('escapes the addresses in HTML', () => {
    const message = emailChangedEmail({ ...input, newEmail: '"><img src=x>@evil.example' });
    expect(message.html).not.toContain('<img');
    expect(message.html).toContain('&quot;&gt;&lt;img src=x&gt;@evil.example');
  });
});
