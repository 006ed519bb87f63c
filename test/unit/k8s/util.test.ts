import t from 'tap';
import { appended } from '../../../src/k8s/util.js';

t.test('appended returns a new list with the item last and leaves the input alone', async (tt) => {
  const a = [1, 2];
  const b = appended(a, 3);
  tt.same(b, [1, 2, 3]);
  tt.same(a, [1, 2]);
  tt.not(a, b);
  tt.same(appended([], 'x'), ['x']);
});
