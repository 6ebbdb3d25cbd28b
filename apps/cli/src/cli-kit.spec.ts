/**
 * @roadmap languages.cli-tools, testing.unit
 * Look at the mapping from what went wrong to the exit code: commander's own errors become 2
 * (its --help and --version 0), expected failures keep their code and message, anything else is 1
 * with one line that says it is unexpected.
 */
import { CommanderError, InvalidArgumentError } from 'commander';
import { describeFailure, integerOption } from './cli-kit';
import { CliError, EXIT } from './exit-codes';

describe('describeFailure', () => {
  it('maps commander errors to 2, and its help to 0, without a message of its own', () => {
    expect(describeFailure('posts', new CommanderError(1, 'commander.unknownOption', 'x'))).toEqual({ code: 2 });
    expect(describeFailure('posts', new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({
      code: 0,
    });
  });

  it('keeps a CliError code and prefixes its message with the command', () => {
    expect(describeFailure('json2dir', new CliError(EXIT.REFUSED, 'refused'))).toEqual({
      code: 3,
      message: 'json2dir: refused',
    });
  });

  it('reports anything else as an unexpected error with exit code 1, one line', () => {
    expect(describeFailure('dir2json', new RangeError('boom'))).toEqual({
      code: 1,
      message: 'dir2json: unexpected error: boom',
    });
  });
});

describe('integerOption', () => {
  const limit = integerOption(1, 100);
  it('accepts whole numbers in range', () => {
    expect(limit('1')).toBe(1);
    expect(limit('100')).toBe(100);
  });
  it.each(['0', '101', '-1', '1.5', '1e2', 'ten', ''])('refuses %j as a usage error', (value) => {
    expect(() => limit(value)).toThrow(InvalidArgumentError);
  });
});
