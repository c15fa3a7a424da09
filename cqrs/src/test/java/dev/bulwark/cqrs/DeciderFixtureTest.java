package dev.bulwark.cqrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.cqrs.Bank.Account;
import dev.bulwark.cqrs.Bank.AccountCommand;
import dev.bulwark.cqrs.Bank.AccountEvent;
import dev.bulwark.cqrs.Bank.Close;
import dev.bulwark.cqrs.Bank.Closed;
import dev.bulwark.cqrs.Bank.Deposit;
import dev.bulwark.cqrs.Bank.Deposited;
import dev.bulwark.cqrs.Bank.InsufficientFunds;
import dev.bulwark.cqrs.Bank.Open;
import dev.bulwark.cqrs.Bank.Opened;
import dev.bulwark.cqrs.Bank.Withdraw;
import dev.bulwark.cqrs.Bank.Withdrawn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bank decider, specified through the fixture, and the fixture's own failure reports. */
class DeciderFixtureTest {

    private final DeciderFixture<AccountCommand, AccountEvent, Account> bank = DeciderFixture.of(Bank.DECIDER);

    @Test
    void opening_a_new_account_records_its_owner() {
        bank.given().when(new Open("alice")).then(new Opened("alice"));
    }

    @Test
    void a_deposit_is_recorded_and_raises_the_balance() {
        bank.given(new Opened("alice"))
                .when(new Deposit(100))
                .then(new Deposited(100))
                .thenState(new Account("alice", 100, true, 2));
    }

    @Test
    void a_withdrawal_within_the_balance_is_recorded() {
        bank.given(new Opened("alice"), new Deposited(100)).when(new Withdraw(30)).then(new Withdrawn(30));
    }

    @Test
    void a_withdrawal_beyond_the_balance_is_rejected_with_the_amounts() {
        InsufficientFunds rejection = bank.given(new Opened("alice"), new Deposited(10))
                .when(new Withdraw(30))
                .thenRejectedWith(InsufficientFunds.class, "cannot withdraw 30 from a balance of 10");
        assertThat(rejection).hasMessage("cannot withdraw 30 from a balance of 10");
    }

    @Test
    void closing_an_account_pays_out_the_balance_first() {
        bank.given(List.of(new Opened("alice"), new Deposited(5)))
                .when(new Close())
                .then(List.of(new Withdrawn(5), new Closed()));
    }

    @Test
    void given_exposes_the_state_the_past_leads_to() {
        assertThat(bank.given(new Opened("bob"), new Deposited(7)).state()).isEqualTo(new Account("bob", 7, true, 2));
    }

    @Test
    void then_fails_with_both_event_lists_when_the_events_differ() {
        assertThatThrownBy(() -> bank.given(new Opened("alice")).when(new Deposit(5)).then(new Deposited(6)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("given [Opened[owner=alice]]\nwhen Deposit[amount=5]\nexpected events [Deposited[amount=6]]"
                        + "\nbut it caused [Deposited[amount=5]]");
    }

    @Test
    void then_fails_with_the_rejection_when_the_command_was_rejected() {
        assertThatThrownBy(() -> bank.given().when(new Deposit(5)).then(new Deposited(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it was rejected with java.lang.IllegalStateException: account is not open")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void then_rejected_with_fails_when_the_command_succeeded() {
        assertThatThrownBy(() -> bank.given(new Opened("a")).when(new Deposit(5))
                        .thenRejectedWith(InsufficientFunds.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("expected a rejection with " + InsufficientFunds.class.getName()
                        + "\nbut it caused [Deposited[amount=5]]");
    }

    @Test
    void then_rejected_with_fails_for_another_exception_type() {
        assertThatThrownBy(() -> bank.given().when(new Deposit(5)).thenRejectedWith(InsufficientFunds.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but it was rejected with java.lang.IllegalStateException: account is not open");
    }

    @Test
    void then_rejected_with_fails_when_the_message_differs() {
        assertThatThrownBy(() -> bank.given().when(new Deposit(5))
                        .thenRejectedWith(IllegalStateException.class, "closed"))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("expected a rejection whose message contains \"closed\"\n"
                        + "but the message is \"account is not open\"");
    }

    @Test
    void then_state_fails_with_both_states() {
        assertThatThrownBy(() -> bank.given(new Opened("a")).when(new Deposit(5))
                        .thenState(new Account("a", 6, true, 2)))
                .isInstanceOf(AssertionError.class)
                .hasMessageEndingWith("expected state Account[owner=a, balance=6, open=true, changes=2]\n"
                        + "but it is Account[owner=a, balance=5, open=true, changes=2]");
    }
}
