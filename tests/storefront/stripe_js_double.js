/* A test double of Stripe.js v3's Payment Element surface (Stripe(key).elements({clientSecret})
 * .create("payment").mount(selector); stripe.confirmPayment({elements, ...})), served by the
 * storefront tests in place of https://js.stripe.com/v3/. localstripe's own stripe.js mock only
 * offers the legacy Card Element (createToken, confirmCardPayment for 3-D Secure), and
 * localstripe accepts a publishable key on neither PaymentMethods nor PaymentIntent confirms,
 * so this double hands the card to a relay beside it that confirms the PaymentIntent on
 * localstripe with the real SDK: the intent, its webhook and the order then move for real. */
(function () {
  var base = document.currentScript.src.replace(/\/v3\/?$/, "");
  window.Stripe = function () {
    return {
      elements: function (options) {
        var inputs = {};
        return {
          secret: options.clientSecret,
          inputs: inputs,
          create: function () {
            return {
              mount: function (selector) {
                var root = document.querySelector(selector);
                ["number", "exp_month", "exp_year", "cvc"].forEach(function (name) {
                  var label = document.createElement("label");
                  var input = document.createElement("input");
                  input.id = "card-" + name;
                  label.htmlFor = input.id;
                  label.textContent = name;
                  root.appendChild(label);
                  root.appendChild(input);
                  inputs[name] = input;
                });
              }
            };
          }
        };
      },
      confirmPayment: function (args) {
        var card = {};
        Object.keys(args.elements.inputs).forEach(function (name) {
          card[name] = args.elements.inputs[name].value;
        });
        return fetch(base + "/confirm", {
          method: "POST",
          headers: {"Content-Type": "text/plain"},
          body: JSON.stringify({client_secret: args.elements.secret, card: card})
        }).then(function (response) { return response.json(); });
      }
    };
  };
})();
