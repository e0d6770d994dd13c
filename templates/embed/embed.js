/*
 * Pasar Babel embeds. Paste where the widget should appear:
 *   <script src="https://MARKETPLACE/embed.js" data-featured data-limit="6"></script>
 *   <noscript><a href="https://MARKETPLACE/featured">Produk unggulan</a></noscript>
 * Options (data- attributes): featured | product="<id or slug>", limit, region, category,
 * lang ("id", "en"), theme ("light", "dark"), title (the frame's title for screen readers).
 * Each script tag gets its own iframe, right after it, sized to its content by messages that
 * must come from that iframe and from the marketplace's origin.
 */
(function () {
  "use strict";
  var MESSAGE_TYPE = "pasar-babel:resize";
  var MARK = "data-pasar-babel-id";
  var OPTIONS = ["limit", "region", "category", "lang", "theme"];

  function ownScript() {
    var script = document.currentScript;
    if (script) return script;
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/embed\.js(?:[?#]|$)/.test(scripts[i].src) && !scripts[i].getAttribute(MARK)) {
        return scripts[i];
      }
    }
    return null;
  }

  function originOf(url) {
    if (typeof window.URL === "function") {
      try { return new window.URL(url).origin; } catch (error) { /* fall through */ }
    }
    var link = document.createElement("a");
    link.href = url;
    return link.protocol + "//" + link.host;
  }

  function frameUrl(script, origin, id) {
    var product = script.getAttribute("data-product");
    var path = product ? "/embed/products/" + encodeURIComponent(product) : "/embed/featured";
    var query = [];
    for (var i = 0; i < OPTIONS.length; i++) {
      var value = script.getAttribute("data-" + OPTIONS[i]);
      if (value) query.push(OPTIONS[i] + "=" + encodeURIComponent(value));
    }
    query.push("parent=" + encodeURIComponent(window.location.protocol + "//" + window.location.host));
    query.push("widget=" + encodeURIComponent(id));
    return origin + path + "?" + query.join("&");
  }

  function defaultTitle(script) {
    var english = script.getAttribute("data-lang") === "en";
    if (script.getAttribute("data-product")) return english ? "Product" : "Produk";
    return english ? "Featured products" : "Produk unggulan";
  }

  var script = ownScript();
  if (!script || script.getAttribute(MARK)) return;
  window.__pasarBabelEmbeds = (window.__pasarBabelEmbeds || 0) + 1;
  var id = "pasar-babel-" + window.__pasarBabelEmbeds;
  script.setAttribute(MARK, id);
  var origin = originOf(script.src);

  var iframe = document.createElement("iframe");
  iframe.id = id;
  iframe.src = frameUrl(script, origin, id);
  iframe.title = script.getAttribute("data-title") || defaultTitle(script);
  iframe.setAttribute("loading", "lazy");
  iframe.setAttribute("frameborder", "0");
  iframe.style.border = "0";
  iframe.style.display = "block";
  iframe.style.width = "100%";
  iframe.style.height = script.getAttribute("data-product") ? "460px" : "400px";
  script.parentNode.insertBefore(iframe, script.nextSibling);

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== iframe.contentWindow) return;
    var data = event.data;
    if (!data || data.type !== MESSAGE_TYPE || data.id !== id) return;
    var height = Math.ceil(Number(data.height));
    if (height > 0 && height < 20000) iframe.style.height = height + "px";
  });
})();
