/*
 * routes map: search — countries by every name the package resolves (ISO and common names,
 * codes, without accents: the names come from routes.countries; on a page in another language,
 * the names in that language too), with typo tolerance, and instruments by name.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;
  var h = u.h;

  function distance(a, b, limit) {
    // Edit distance counting a swap of two neighbouring letters as one edit ("Lybia"), giving up above `limit`.
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var before = null;
    var previous = [];
    for (var j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      var current = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var value = Math.min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + cost);
        if (i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) value = Math.min(value, before[k - 2] + 1);
        current.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) return limit + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  RM.module("search", function (ctx) {
    var data = ctx.data;
    var t = ctx.t;
    var countries = [];
    ctx.nodes.forEach(function (node) {
      var code = node.p.code;
      var names = (data.search && data.search[code]) || [];
      var all = names.concat([u.normalise(ctx.name(code)), code.toLowerCase()]);
      all.forEach(function (name) {
        if (name) countries.push({ key: name, code: code });
      });
    });
    var instruments = Object.keys(data.partnerships).map(function (pid) {
      return { key: u.normalise(ctx.pname(pid)), id: pid };
    });

    // The best match: exact, then a name starting with the text, then containing it, then close to it.
    ctx.find = function (query) {
      var q = u.normalise(query);
      if (!q) return null;
      var i;
      for (i = 0; i < countries.length; i++) if (countries[i].key === q) return { country: countries[i].code };
      for (i = 0; i < instruments.length; i++) {
        if (instruments[i].key === q || instruments[i].id === query.trim()) return { instrument: instruments[i].id };
      }
      var starts = countries.filter(function (c) {
        return c.key.indexOf(q) === 0;
      });
      if (starts.length) {
        starts.sort(function (a, b) {
          return a.key.length - b.key.length || (a.key < b.key ? -1 : 1);
        });
        return { country: starts[0].code };
      }
      if (q.length >= 3) {
        var words = countries.filter(function (c) {
          return (" " + c.key).indexOf(" " + q) >= 0;
        });
        if (words.length) return { country: words[0].code };
        var inside = instruments.filter(function (p) {
          return p.key.indexOf(q) >= 0;
        });
        if (inside.length) return { instrument: inside[0].id };
      }
      if (q.length >= 4) {
        var limit = q.length >= 5 ? 2 : 1; // "Lybia" is two edits from "Libya"
        var best = null;
        countries.forEach(function (c) {
          var d = distance(q, c.key, limit);
          if (d <= limit && (!best || d < best.d || (d === best.d && c.key < best.key))) best = { d: d, key: c.key, code: c.code };
        });
        if (best) return { country: best.code };
      }
      return null;
    };

    ctx.searchBox = function () {
      var listId = ctx.dataId + "-search";
      var labels = ctx.nodes
        .map(function (node) {
          return ctx.name(node.p.code) + " (" + node.p.code + ")";
        })
        .sort(ctx.lang === "en" ? undefined : function (a, b) {
          return a.localeCompare(b, ctx.lang);
        })
        .concat(
          Object.keys(data.partnerships)
            .map(ctx.pname)
            .sort()
        );
      var datalist = h(
        "datalist",
        { id: listId },
        labels.map(function (label) {
          return h("option", { value: label });
        })
      );
      var message = h("div", { className: "routes-search-msg", "aria-live": "polite" });
      var input = h("input", {
        type: "search",
        className: "routes-search",
        list: listId,
        placeholder: t("Country or instrument"),
        "aria-label": t("Find a country or an instrument"),
      });
      // Enter and the change event that follows it at once ask for the same text: answer once.
      var asked = null;
      var askedAt = 0;
      function go() {
        var now = Date.now();
        if (input.value === asked && now - askedAt < 1000) return;
        asked = input.value;
        askedAt = now;
        var text = input.value.replace(/\s*\([A-Z]{3}\)\s*$/, "");
        u.clear(message);
        if (!input.value.trim()) return;
        var found = ctx.find(text) || ctx.find(input.value);
        if (!found) {
          u.append(message, [t("Nothing called “{text}” on this map", { text: input.value.trim() })]);
          return;
        }
        if (found.country) {
          u.append(message, [ctx.name(found.country) + " (" + found.country + ")"]);
          ctx.openCountry(found.country);
        } else {
          u.append(message, [t("Showing what {instrument} joins", { instrument: ctx.pname(found.instrument) })]);
          ctx.pick(found.instrument);
        }
      }
      input.addEventListener("change", go);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") go();
      });
      return h("div", { className: "routes-search-box" }, [
        h("label", { className: "routes-block" }, [h("span", { className: "routes-label", text: t("Find") }), input]),
        datalist,
        message,
      ]);
    };
  });
})();
