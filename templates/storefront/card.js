(function () {
  var box = document.getElementById("card");
  if (!box || typeof Stripe !== "function") { return; }
  var stripe = Stripe(box.dataset.key);
  var secret = box.dataset.secret;
  var elements = stripe.elements({clientSecret: secret, locale: document.documentElement.lang});
  var element = elements.create("payment");
  element.mount("#card-element");
  var status = document.getElementById("card-status");
  document.getElementById("card-form").addEventListener("submit", function (event) {
    event.preventDefault();
    status.textContent = box.dataset.wait;
    var done = function (result) {
      if (result && result.error) { status.textContent = result.error.message || box.dataset.failed; return; }
      window.location.assign(box.dataset.returnUrl);
    };
    if (typeof stripe.confirmPayment === "function") {
      stripe.confirmPayment({elements: elements, confirmParams: {return_url: box.dataset.returnUrl}}).then(done);
    } else {
      // Card-only Stripe.js builds (and test doubles) confirm with the card element.
      stripe.confirmCardPayment(secret, {payment_method: {card: element}}).then(done);
    }
  });
  document.getElementById("card-pay").hidden = false;
})();
