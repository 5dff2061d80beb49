import { describe, expect, it } from 'vitest';
import { StatesError, States } from '../../../lib/asl/errors.js';
import type { Json } from '../../../lib/asl/json.js';
import {
  isIndefinitePath,
  isValidPath,
  isValidReferencePath,
  pathForCause,
  readPath,
  referencePathSteps,
} from '../../../lib/asl/paths/json-path.js';
import { scopeOf } from './scope.js';

// The example document of Jayway JsonPath's README (AWS evaluates JSONPath with Jayway).
const store: Json = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};
const titles = (value: Json | undefined) => (value as { title: string }[]).map((b) => b.title);
const read = (path: string, input: Json = store) => readPath(path, scopeOf(input));

describe('readPath on definite paths', () => {
  it('selects an array element by index, as AWS recorded for $.items[0]', () => {
    const input = { items: [{ item_key: 0 }, { item_key: 1 }] };

    expect(read('$.items[0]', input)).toEqual({ item_key: 0 });
  });

  it('returns the whole input for $', () => {
    expect(read('$')).toBe(store);
  });

  it('reads dotted and quoted bracket names alike, including names with dashes', () => {
    const input = { 'dest-code': 9511, 'a b': { "it's": 1 } };

    expect(read('$.dest-code', input)).toBe(9511);
    expect(read("$['dest-code']", input)).toBe(9511);
    expect(read('$["a b"]["it\'s"]', input)).toBe(1);
  });

  it('counts negative indexes from the end of the array', () => {
    expect(read('$.store.book[-1].title')).toBe('The Lord of the Rings');
  });

  it('returns undefined when a name, an index or an intermediate node is missing', () => {
    expect(read('$.nope')).toBeUndefined();
    expect(read('$.nope.deeper')).toBeUndefined();
    expect(read('$.store.book[9]')).toBeUndefined();
    expect(read('$.expensive.value')).toBeUndefined();
  });

  it('keeps null values, which are found, apart from missing ones', () => {
    expect(read('$.a', { a: null })).toBeNull();
  });

  it('merges several names at the end of the path into one object, as Jayway does', () => {
    expect(read("$.store.bicycle['color','price']")).toEqual({ color: 'red', price: 19.95 });
  });

  it('gives the length of an array with length()', () => {
    expect(read('$.store.book.length()')).toBe(4);
  });
});

describe('readPath on indefinite paths', () => {
  it('returns an empty list when a wildcard or slice finds no input, as AWS recorded', () => {
    for (const path of ['$.items[*]', '$.item.items[*]', '$.items[*].itemValue', '$.items[:1]', '$.item.items[:1]', '$.items[:1].itemValue']) {
      expect(read(path, {}), path).toEqual([]);
    }
  });

  it('filters array elements with a comparison, as AWS recorded for $.users[?(@.status == 0)]', () => {
    const input = { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] };

    expect(read('$.users[?(@.status == 0)]', input)).toEqual([{ year: 1997, status: 0 }]);
  });

  it('treats a bare filter operand as an existence test, so false values still match', () => {
    const input = { list: [{ keep: true }, { keep: false }, { other: 1 }] };

    expect(read('$.list[?(@.keep)]', input)).toEqual([{ keep: true }, { keep: false }]);
    expect(read('$.list[?(@.keep == true)]', input)).toEqual([{ keep: true }]);
  });

  it('scans all descendants with ..', () => {
    const input = { d: { x: { a: [1, 2] } } };

    expect(read('$.d..a', input)).toEqual([[1, 2]]);
    expect(read('$.d..a[*]', input)).toEqual([1, 2]);
    expect(read('$..author')).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
    expect(read('$.store..price')).toEqual([8.95, 12.99, 8.99, 22.99, 19.95]);
  });

  it('follows the Jayway README examples for wildcards, unions and slices', () => {
    expect(read('$.store.book[*].author')).toEqual(['Nigel Rees', 'Evelyn Waugh', 'Herman Melville', 'J. R. R. Tolkien']);
    expect(titles(read('$..book[2]'))).toEqual(['Moby Dick']);
    expect(titles(read('$..book[-2]'))).toEqual(['Moby Dick']);
    expect(titles(read('$..book[0,1]'))).toEqual(['Sayings of the Century', 'Sword of Honour']);
    expect(titles(read('$..book[:2]'))).toEqual(['Sayings of the Century', 'Sword of Honour']);
    expect(titles(read('$..book[1:2]'))).toEqual(['Sword of Honour']);
    expect(titles(read('$..book[-2:]'))).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(titles(read('$..book[2:]'))).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(read('$.store.*')).toHaveLength(2);
  });

  it('follows the Jayway README examples for filters', () => {
    expect(titles(read('$..book[?(@.isbn)]'))).toEqual(['Moby Dick', 'The Lord of the Rings']);
    expect(titles(read('$.store.book[?(@.price < 10)]'))).toEqual(['Sayings of the Century', 'Moby Dick']);
    expect(titles(read("$..book[?(@.price <= $['expensive'])]"))).toEqual(['Sayings of the Century', 'Moby Dick']);
    expect(titles(read('$..book[?(@.author =~ /.*REES/i)]'))).toEqual(['Sayings of the Century']);
  });

  it('combines filter conditions with &&, || and !', () => {
    expect(titles(read("$.store.book[?(@.category == 'fiction' && @.price < 10)]"))).toEqual(['Moby Dick']);
    expect(titles(read("$.store.book[?(@.price > 20 || @.author == 'Nigel Rees')]"))).toEqual([
      'Sayings of the Century',
      'The Lord of the Rings',
    ]);
    expect(titles(read('$.store.book[?(!@.isbn)]'))).toEqual(['Sayings of the Century', 'Sword of Honour']);
    expect(titles(read("$.store.book[?(@.category in ['reference'])]"))).toEqual(['Sayings of the Century']);
  });
});

describe('readPath roots', () => {
  it('reads $$ paths from the context object', () => {
    const scope = scopeOf({}, { context: { Map: { Item: { Value: 'a', Index: 0 } } } });

    expect(readPath('$$.Map.Item.Value', scope)).toBe('a');
    expect(readPath('$$', scope)).toEqual({ Map: { Item: { Value: 'a', Index: 0 } } });
  });

  it('reads $name paths from variables, as AWS recorded for InputPath "$theAnswer"', () => {
    const scope = scopeOf({}, { variables: { theAnswer: 42, order: { lines: [{ sku: 'x' }] } } });

    expect(readPath('$theAnswer', scope)).toBe(42);
    expect(readPath('$order.lines[0].sku', scope)).toBe('x');
    expect(readPath('$order.lines[*].sku', scope)).toEqual(['x']);
  });

  // AWS guide, "Variable name syntax": names are Unicode identifiers, not only ASCII ones.
  it('reads a variable whose name has letters outside ASCII', () => {
    const scope = scopeOf({}, { variables: { größe: { cm: 180 }, π: 3 } });

    expect(readPath('$größe.cm', scope)).toBe(180);
    expect(readPath('$π', scope)).toBe(3);
  });

  it('fails with States.Runtime when a variable is not in scope', () => {
    const attempt = () => readPath('$missing.field', scopeOf({}));

    expect(attempt).toThrow(StatesError);
    expect(attempt).toThrow(expect.objectContaining({ error: States.Runtime }));
  });
});

describe('path syntax helpers', () => {
  it('normalises paths the way AWS prints them in causes', () => {
    expect(pathForCause('$.NoSuchInputPath')).toBe("$['NoSuchInputPath']");
    expect(pathForCause('$.a[0].b')).toBe("$['a'][0]['b']");
    expect(pathForCause("$['a'].b[*]")).toBe("$['a']['b'][*]");
  });

  it('tells definite paths from indefinite ones', () => {
    expect(isIndefinitePath('$.a[0].b')).toBe(false);
    expect(isIndefinitePath("$['a','b']")).toBe(false);
    for (const path of ['$.a[*]', '$..a', '$.a[?(@.b)]', '$.a[1:3]', '$.a[0,1]', "$['a','b'].c", '$.*']) {
      expect(isIndefinitePath(path), path).toBe(true);
    }
  });

  it('accepts the path forms Step Functions accepts and rejects malformed ones', () => {
    for (const path of ['$', '$$', '$.a', '$$.Execution.Id', '$var', '$var.a[0]', '$.a[?(@.b == "x")]', '$[0]']) {
      expect(isValidPath(path), path).toBe(true);
    }
    for (const path of ['', 'a', '$.', '$.a[', '$.a[x]', '$.a[?(@.b == )]', '$.a.foo()', '$ .a']) {
      expect(isValidPath(path), path).toBe(false);
    }
  });

  it('accepts only names and single indexes in a reference path', () => {
    expect(isValidReferencePath('$.a.b[0]')).toBe(true);
    expect(isValidReferencePath("$['a']")).toBe(true);
    for (const path of ['$.a[*]', '$..a', '$.a[?(@.b)]', '$.a[0:1]', '$.a[0,1]']) {
      expect(isValidReferencePath(path), path).toBe(false);
    }
    expect(referencePathSteps('$.a[1].b')).toEqual(['a', 1, 'b']);
  });
});
