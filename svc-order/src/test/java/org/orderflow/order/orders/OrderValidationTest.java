package org.orderflow.order.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.orderflow.service.http.Problem;
import org.orderflow.service.http.ProblemException;

class OrderValidationTest {
    private static final PlaceOrderRequest.Item ITEM = new PlaceOrderRequest.Item("sku-1", "Mouse", 2, new BigDecimal("19.99"));

    @Test
    void validOrderPasses() {
        assertThatCode(() -> OrderValidation.validate(new PlaceOrderRequest("cust-1", "EUR", List.of(ITEM)))).doesNotThrowAnyException();
    }

    @Test
    void everyInvalidFieldIsNamed() {
        PlaceOrderRequest request = new PlaceOrderRequest(" ", "EURO", List.of(
                new PlaceOrderRequest.Item("", null, 0, new BigDecimal("-1")),
                new PlaceOrderRequest.Item("sku-2", null, 1, new BigDecimal("1.999"))));

        assertThat(fields(request)).containsExactly("customer_id", "currency", "items[0].product_id", "items[0].quantity",
                "items[0].price", "items[1].price");
    }

    @Test
    void missingFieldsAreRequired() {
        assertThat(fields(new PlaceOrderRequest(null, null, null))).containsExactly("customer_id", "currency", "items");
        assertThat(fields(new PlaceOrderRequest("c", "EUR", List.of(new PlaceOrderRequest.Item(null, null, null, null)))))
                .containsExactly("items[0].product_id", "items[0].quantity", "items[0].price");
    }

    @Test
    void anOrderHasOneToAHundredItems() {
        assertThat(fields(new PlaceOrderRequest("c", "EUR", List.of()))).containsExactly("items");
        assertThat(fields(new PlaceOrderRequest("c", "EUR", Collections.nCopies(101, ITEM)))).containsExactly("items");
        assertThatCode(() -> OrderValidation.validate(new PlaceOrderRequest("c", "EUR", Collections.nCopies(100, ITEM))))
                .doesNotThrowAnyException();
    }

    @Test
    void currencyMustBeAnIsoCode() {
        assertThat(fields(new PlaceOrderRequest("c", "XYZ", List.of(ITEM)))).containsExactly("currency");
        assertThat(fields(new PlaceOrderRequest("c", "eur", List.of(ITEM)))).containsExactly("currency");
    }

    @Test
    void textIsBoundedAndHoldsNoControlCharacters() {
        String nul = "a\u0000b";
        assertThat(fields(new PlaceOrderRequest(nul, "EUR", List.of(new PlaceOrderRequest.Item(nul, nul, 1, BigDecimal.ONE)))))
                .containsExactly("customer_id", "items[0].product_id", "items[0].name");
        assertThat(fields(new PlaceOrderRequest("c".repeat(101), "EUR", List.of(
                new PlaceOrderRequest.Item("p".repeat(101), "n".repeat(201), 1, BigDecimal.ONE)))))
                .containsExactly("customer_id", "items[0].product_id", "items[0].name");
    }

    @Test
    void theLargestValidOrderPassesAndItsTotalFitsItsColumn() {
        PlaceOrderRequest.Item largest = new PlaceOrderRequest.Item("p".repeat(100), "n".repeat(200), OrderValidation.MAX_QUANTITY,
                OrderValidation.MAX_PRICE);
        assertThatCode(() -> OrderValidation.validate(new PlaceOrderRequest("c".repeat(100), "EUR",
                Collections.nCopies(OrderValidation.MAX_ITEMS, largest)))).doesNotThrowAnyException();
        BigDecimal largestTotal = OrderValidation.MAX_PRICE.multiply(BigDecimal.valueOf((long) OrderValidation.MAX_QUANTITY * OrderValidation.MAX_ITEMS));
        assertThat(largestTotal).isLessThan(new BigDecimal("999999999999.99")); // NUMERIC(14,2)
        assertThat(fields(new PlaceOrderRequest("c", "EUR", List.of(new PlaceOrderRequest.Item("p", null, 1,
                OrderValidation.MAX_PRICE.add(new BigDecimal("0.01"))))))).containsExactly("items[0].price");
    }

    private static List<String> fields(PlaceOrderRequest request) {
        ProblemException problem = catchThrowableOfType(ProblemException.class, () -> OrderValidation.validate(request));
        assertThat(problem).as("a 400 problem").isNotNull();
        assertThat(problem.problem().status()).isEqualTo(400);
        return problem.problem().errors().stream().map(Problem.FieldError::field).toList();
    }
}
