/**
 * The script the scanner adds to every frame before the page's own scripts run. It reports, through
 * the binding `__inzageScan`, every cookie a script writes (with the script's URL, from the stack) and
 * every entry pushed onto `window.dataLayer` (which is where `gtag(…)` puts its commands). It changes
 * nothing the page sees: the original setters and `push` run as before.
 *
 * Plain JavaScript in a string, not a function: tsx would wrap a function in helpers the page lacks.
 */
export const PROBE_BINDING = '__inzageScan';

export const PROBE_SCRIPT = `(() => {
  if (window.__inzageProbe) return;
  Object.defineProperty(window, '__inzageProbe', { value: true });
  var doc = Math.random().toString(36).slice(2);
  var top = window === window.top;
  function send(m) {
    try {
      m.at = Date.now();
      m.doc = doc;
      m.top = top;
      m.frame = location.href;
      var b = window.${PROBE_BINDING};
      if (typeof b === 'function') b(m).catch(function () {});
    } catch (e) {}
  }
  function caller() {
    var urls = String(new Error().stack || '').match(/https?:\\/\\/[^\\s()]+?(?=:\\d+:\\d+)/g);
    return urls && urls.length ? urls[0] : null;
  }

  if (top) send({ t: 'doc' });

  var cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookie && cookie.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: true,
      enumerable: cookie.enumerable,
      get: function () { return cookie.get.call(this); },
      set: function (v) {
        send({ t: 'cookie', text: String(v), by: caller() });
        return cookie.set.call(this, v);
      },
    });
  }
  if (window.CookieStore && CookieStore.prototype.set) {
    var storeSet = CookieStore.prototype.set;
    CookieStore.prototype.set = function (a, b) {
      var o = typeof a === 'string' ? { name: a } : a || {};
      send({ t: 'cookie', text: String(o.name) + '=', domain: o.domain || null, by: caller() });
      return storeSet.apply(this, arguments);
    };
  }

  function plain(o) {
    var out = {};
    for (var k in o) {
      var v = o[k];
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    }
    return out;
  }
  function note(e) {
    try {
      if (e && typeof e === 'object' && typeof e.length === 'number') {
        var a = Array.prototype.slice.call(e);
        send({
          t: 'dl',
          cmd: String(a[0]),
          arg: typeof a[1] === 'string' ? a[1] : null,
          params: a[0] === 'consent' && a[2] && typeof a[2] === 'object' ? plain(a[2]) : null,
        });
      } else if (e && typeof e === 'object' && typeof e.event === 'string') {
        send({ t: 'dl', cmd: 'object', arg: e.event, params: null });
      }
    } catch (err) {}
  }
  function watch(arr) {
    if (!Array.isArray(arr) || arr.__inzage) return arr;
    Object.defineProperty(arr, '__inzage', { value: true });
    arr.forEach(note);
    var push = arr.push;
    var wrapped = null;
    var wrappedFor = null;
    Object.defineProperty(arr, 'push', {
      configurable: true,
      get: function () {
        // The same function for the same push: code that compares dataLayer.push sees it unchanged.
        if (wrappedFor !== push) {
          var inner = push;
          wrappedFor = push;
          wrapped = function () {
            for (var i = 0; i < arguments.length; i++) note(arguments[i]);
            return inner.apply(this, arguments);
          };
        }
        return wrapped;
      },
      set: function (f) { push = f; },
    });
    return arr;
  }
  var dataLayer;
  Object.defineProperty(window, 'dataLayer', {
    configurable: true,
    get: function () { return dataLayer; },
    set: function (v) { dataLayer = watch(v); },
  });
})();`;

/** A message from the probe, as the binding receives it. */
export type ProbeMessage = {
  at: number;
  doc: string;
  top: boolean;
  frame: string;
} & (
  | { t: 'doc' }
  | { t: 'cookie'; text: string; domain?: string | null; by: string | null }
  | { t: 'dl'; cmd: string; arg: string | null; params: Record<string, string | number | boolean> | null }
);
