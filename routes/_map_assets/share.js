/*
 * routes map: the view in the address — state shown, base state, routes, gaps only, route
 * followed, instrument shown, zoom and centre — so that a link reopens the same view.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;

  RM.module("share", function (ctx) {
    var map = ctx.map;
    var data = ctx.data;
    var state = ctx.state;
    var t = ctx.t;

    function indexOfLabel(label) {
      for (var i = 0; i < data.years.length; i++) if (data.years[i].label === label) return i;
      return -1;
    }

    ctx.viewHash = function () {
      var parts = [];
      if (ctx.staticView) parts.push("static");
      parts.push("y=" + encodeURIComponent(ctx.label()));
      if (ctx.comparing()) parts.push("b=" + encodeURIComponent(ctx.label(state.base)));
      if (state.gapsOnly) parts.push("g=1");
      if (state.focus) parts.push("f=" + encodeURIComponent(state.focus));
      var off = data.routes.filter(function (r) {
        return !state.routes[r];
      });
      if (off.length) parts.push("off=" + off.map(encodeURIComponent).join("|"));
      if (state.picked) parts.push("p=" + encodeURIComponent(state.picked));
      var c = map.getCenter();
      parts.push("v=" + map.getZoom().toFixed(2) + "/" + c.lat.toFixed(3) + "/" + c.lng.toFixed(3));
      return "#" + parts.join("&");
    };

    function restore() {
      var hash = window.location.hash.replace(/^#/, "");
      if (!hash) return;
      var view = null;
      hash.split("&").forEach(function (part) {
        var eq = part.indexOf("=");
        if (eq < 0) return;
        var key = part.slice(0, eq);
        var value = part.slice(eq + 1);
        var decoded;
        try {
          decoded = decodeURIComponent(value);
        } catch (e) {
          return;
        }
        if (key === "y" && indexOfLabel(decoded) >= 0) state.yi = indexOfLabel(decoded);
        else if (key === "b" && indexOfLabel(decoded) >= 0) state.base = indexOfLabel(decoded);
        else if (key === "g") state.gapsOnly = value === "1";
        else if (key === "f" && data.routes.indexOf(decoded) >= 0) state.focus = decoded;
        else if (key === "p" && data.partnerships[decoded]) state.picked = decoded;
        else if (key === "off") {
          value.split("|").forEach(function (route) {
            var name;
            try {
              name = decodeURIComponent(route);
            } catch (e) {
              return;
            }
            if (Object.prototype.hasOwnProperty.call(state.routes, name)) state.routes[name] = false;
          });
        } else if (key === "v") {
          var v = value.split("/").map(Number);
          if (v.length === 3 && v.every(isFinite)) view = v;
        }
      });
      if (view) {
        ctx.restoredView = view;
      }
    }
    restore();
    if (ctx.restoredView) {
      ctx.on("ready", function () {
        var v = ctx.restoredView;
        map.setView([v[1], v[2]], v[0], { animate: false });
        ctx.emit("restored");
      });
    }

    var ready = false;
    function write() {
      if (!ready) return;
      var hash = ctx.viewHash();
      if (window.location.hash === hash) return;
      try {
        window.history.replaceState(null, "", hash); // a frame's srcdoc has no address to keep: it may refuse
      } catch (e) {
        // not kept: the link button still shows it
      }
    }
    ctx.on("view", function () {
      ready = true;
      write();
    });
    ctx.on("refresh", write);
    map.on("moveend zoomend", write);

    ctx.copyLink = function () {
      write();
      var address = "";
      try {
        address = window.location.href.split("#")[0];
      } catch (e) {
        address = "";
      }
      var link = ctx.viewHash();
      if (/^(https?|file):/i.test(address)) {
        link = address + link;
        ctx.say(t("Link to this view: {link}", { link: link })); // shown at once: the clipboard may ask, or refuse
      } else {
        // Embedded (srcdoc) or opened from memory: the page has no address of its own to link to.
        ctx.say(t("Add this to the address of the map's own page to reopen this view: {link}", { link: link }));
      }
      if (/^(https?|file):/i.test(address) && navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link).then(
          function () {
            ctx.say(t("Link copied: {link}", { link: link }));
          },
          function () {}
        );
      }
    };
  });
})();
