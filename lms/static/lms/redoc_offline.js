/* ReDoc draws a "powered by" logo from its CDN and has no option to leave it out. A closed area has no internet:
 * before ReDoc starts, an image asked from that CDN gets an empty data URL instead, whose error makes ReDoc drop
 * the logo (its own fallback). Loaded by lms/templates/lms/api_docs.html. */
(function () {
  'use strict';
  var CDN = /^https?:\/\/cdn\.redoc\.ly\//;
  function local(value) { return CDN.test(String(value)) ? 'data:,' : value; }

  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === 'src') { value = local(value); }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src');
  Object.defineProperty(HTMLImageElement.prototype, 'src', {
    configurable: true, enumerable: src.enumerable, get: src.get,
    set: function (value) { src.set.call(this, local(value)); }
  });
})();
