/*
 * routes map: print — a static picture of the current view (country shapes, arcs, countries
 * and labels, as one SVG image) with the title, the legend's counts and the caption; the
 * print style sheet shows it instead of the interactive map and its controls. The picture
 * follows the view, so it is ready whenever the page (or the report that embeds it) prints.
 */
(function () {
  "use strict";
  var RM = window.RoutesMap;
  var u = RM.util;
  var h = u.h;

  RM.module("print", function (ctx) {
    var map = ctx.map;
    var container = ctx.container;
    var t = ctx.t;
    // An inline SVG, not an <img>: printing does not wait for an image to decode.
    var picture = h("div", { className: "routes-print-image" });
    var title = h("div", { className: "routes-print-title" });
    var lines = h("div", { className: "routes-print-lines" });
    var figure = h("figure", { className: "routes-print", "aria-hidden": "true" }, [
      title,
      picture,
      h("figcaption", {}, [lines]),
    ]);
    container.parentNode.insertBefore(figure, container.nextSibling);

    // A picture, not a second map: no classes, ids, data or focus that selectors, styles or
    // assistive technology would take for the live map's.
    function plain(root) {
      [root].concat(Array.prototype.slice.call(root.querySelectorAll("*"))).forEach(function (node) {
        var label = node.getAttribute("class") || "";
        Array.prototype.slice.call(node.attributes).forEach(function (attr) {
          if (/^(class|id|tabindex|role|data-.*|aria-.*)$/.test(attr.name)) node.removeAttribute(attr.name);
        });
        if (/routes-label-text/.test(label)) {
          node.setAttribute("class", "routes-print-label" + (/routes-label-major/.test(label) ? " routes-print-major" : ""));
        }
      });
      return root;
    }

    function snapshot() {
      // Hidden (the print style sheet already applies, or a folded notebook cell): keep the last picture.
      if (!container.offsetWidth || !container.offsetHeight) return;
      var size = map.getSize();
      var box = container.getBoundingClientRect();
      var parts = [];
      Array.prototype.forEach.call(container.querySelectorAll(".leaflet-pane svg"), function (layer) {
        var rect = layer.getBoundingClientRect();
        if (!rect.width || !rect.height || layer.closest(".leaflet-tooltip-pane, .leaflet-popup-pane")) return;
        var copy = plain(layer.cloneNode(true));
        copy.removeAttribute("style");
        copy.setAttribute("x", String(rect.left - box.left));
        copy.setAttribute("y", String(rect.top - box.top));
        copy.setAttribute("width", String(rect.width));
        copy.setAttribute("height", String(rect.height));
        var z = Number(window.getComputedStyle(layer.closest(".leaflet-pane")).zIndex) || 0;
        parts.push({ z: z, node: copy });
      });
      parts.sort(function (a, b) {
        return a.z - b.z;
      });
      var root = u.svg("svg", {
        xmlns: "http://www.w3.org/2000/svg",
        width: size.x,
        height: size.y,
        viewBox: "0 0 " + size.x + " " + size.y,
      });
      root.appendChild(u.svg("rect", { width: size.x, height: size.y, fill: "#dde8f0" }));
      parts.forEach(function (part) {
        root.appendChild(part.node);
      });
      root.setAttribute("role", "img");
      root.setAttribute("aria-label", t("Map of the segments shown: {description}", { description: ctx.describe() }));
      u.clear(picture).appendChild(root);
      title.textContent = ctx.data.title + " — " + ctx.describe();
      u.clear(lines);
      var counts = ctx.yearInfo().counts;
      var tiers = ["binding", "operational", "political", "forum", "none", "internal"].map(function (tier) {
        return ctx.term(tier) + " " + counts[tier];
      });
      u.append(lines, [h("div", { text: t("Segments by tier: {tiers}; gaps {gaps}.", { tiers: tiers.join(", "), gaps: counts.gaps }) })]);
      Array.prototype.forEach.call(container.querySelectorAll(".routes-caption-body > div"), function (line) {
        u.append(lines, [h("div", { text: line.textContent })]);
      });
      container.setAttribute("data-print", "ready");
    }

    var timer = null;
    function later() {
      clearTimeout(timer);
      timer = setTimeout(snapshot, 250);
    }
    ctx.snapshot = snapshot;
    ctx.on("drawn", snapshot);
    ctx.on("refresh", later);
    map.on("moveend zoomend resize", later);
    window.addEventListener("beforeprint", snapshot);
  });
})();
