import { isDependencyUnavailable } from './dependency-errors';

describe('isDependencyUnavailable', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('recognises a database that cannot be reached or went away', () => {
    expect(isDependencyUnavailable(Object.assign(new AggregateError([coded('ECONNREFUSED')]), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDependencyUnavailable(new AggregateError([coded('ECONNREFUSED')]))).toBe(true);
    expect(isDependencyUnavailable({ message: 'query failed', driverError: coded('57P01', 'terminating connection due to administrator command') })).toBe(
      true,
    );
    expect(isDependencyUnavailable(coded('08006'))).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyUnavailable(new Error('outer', { cause: coded('ETIMEDOUT') }))).toBe(true);
  });

  it('leaves every other fault a fault', () => {
    expect(isDependencyUnavailable(coded('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isDependencyUnavailable({ driverError: coded('22007', 'invalid input syntax for type timestamp') })).toBe(false);
    expect(isDependencyUnavailable(new Error('content of document x is missing'))).toBe(false);
    expect(isDependencyUnavailable(null)).toBe(false);
    expect(isDependencyUnavailable('ECONNREFUSED')).toBe(false);
  });
});
