import { Prisma } from '@capstone/database';

/**
 * The column a unique-constraint violation (Prisma P2002) is about, or undefined when the error is
 * not one. Through a driver adapter the column is in `meta.driverAdapterError.cause.constraint`;
 * the native engine put it in `meta.target`.
 */
export function uniqueViolationField(error: unknown): string | undefined {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return undefined;
  const meta = error.meta as
    { target?: string | string[]; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } | undefined;
  const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target;
  return (Array.isArray(fields) ? fields[0] : fields) ?? 'resource';
}
