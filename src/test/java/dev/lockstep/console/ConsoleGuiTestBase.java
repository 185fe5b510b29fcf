package dev.lockstep.console;

import dev.lockstep.console.backend.ConsoleBackend;

import static org.awaitility.Awaitility.await;

import java.awt.event.KeyEvent;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.assertj.swing.edt.FailOnThreadViolationRepaintManager;
import org.assertj.swing.edt.GuiActionRunner;
import org.assertj.swing.fixture.FrameFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Opens the real console window on a {@link FakeConsoleBackend} for each test, with its own
 * preferences node, and closes both afterwards. Any Swing access off the EDT fails the test.
 * Tagged {@code gui} (inherited by every subclass): these run in {@code mvn verify} (Failsafe), on a
 * display, never in the headless {@code mvn test}.
 */
@Tag("gui")
abstract class ConsoleGuiTestBase {
    protected static final Duration PATIENCE = Duration.ofSeconds(20);

    /** The fake, for tests that run on it ({@link #createBackend()} not overridden). */
    protected FakeConsoleBackend backend;
    /** What the window runs on. */
    protected ConsoleBackend console;
    protected Preferences prefsNode;
    protected ConsolePrefs prefs;
    protected ConsoleFrame frame;
    protected FrameFixture window;

    @BeforeAll
    static void failOnEdtViolations() {
        FailOnThreadViolationRepaintManager.install();
    }

    @BeforeEach
    void openConsole() {
        console = createBackend();
        prefsNode = Preferences.userRoot().node("dev/lockstep/console-test/" + UUID.randomUUID());
        prefs = new ConsolePrefs(prefsNode);
        frame = GuiActionRunner.execute(() -> {
            Theme.apply(prefs.dark());
            return new ConsoleFrame(console, prefs);
        });
        // no window manager under Xvfb: a window a previous test left behind would sit on top of this one
        GuiActionRunner.execute(() -> {
            for (java.awt.Window w : java.awt.Window.getWindows()) {
                if (w != frame && w.isDisplayable()) {
                    w.dispose();
                }
            }
        });
        window = new FrameFixture(frame);
        GuiActionRunner.execute(() -> javax.swing.ToolTipManager.sharedInstance().setEnabled(false));
        // a fixed size at the top-left corner, so the whole window (status bar included) is on screen
        window.show(new java.awt.Dimension(1400, 860));
        window.moveTo(new java.awt.Point(0, 0));
        GuiActionRunner.execute(frame::start);
        awaitClicksReachTheWindow();
    }

    /** The backend the window runs on; the fake unless a test class runs on the real stack. */
    protected ConsoleBackend createBackend() {
        backend = new FakeConsoleBackend(20_000);
        return backend;
    }

    /**
     * Without a window manager (Xvfb) a new window can report its place on screen before X has put
     * it there; clicks sent in that moment land elsewhere. Clicks a harmless label until one arrives.
     */
    private void awaitClicksReachTheWindow() {
        java.util.concurrent.atomic.AtomicBoolean clicked = new java.util.concurrent.atomic.AtomicBoolean();
        javax.swing.JLabel probe = window.label("status.mode").target();
        java.awt.event.MouseListener listener = new java.awt.event.MouseAdapter() {
            @Override
            public void mouseClicked(java.awt.event.MouseEvent e) {
                clicked.set(true);
            }
        };
        GuiActionRunner.execute(() -> probe.addMouseListener(listener));
        // the first window of a JVM on a loaded machine can take a while to be mapped and settle
        await().atMost(PATIENCE.multipliedBy(3)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(300)).until(() -> {
            window.label("status.mode").click();
            return clicked.get();
        });
        GuiActionRunner.execute(() -> probe.removeMouseListener(listener));
    }

    @AfterEach
    void closeConsole() throws BackingStoreException {
        window.cleanUp();
        console.close();
        prefsNode.removeNode();
    }

    /** Ctrl + the view's number, as a person would press it. */
    protected void pressViewShortcut(View view) {
        pressCtrl(KeyEvent.VK_1 + view.ordinal());
        await().atMost(PATIENCE).until(() -> onEdt(frame::currentView) == view);
    }

    /** Ctrl + {@code keyCode} on the focused window. */
    protected void pressCtrl(int keyCode) {
        window.tabbedPane("nav.tabs").focus(); // a component of the frame, so its menu shortcuts apply
        window.robot().pressKey(KeyEvent.VK_CONTROL);
        try {
            window.robot().pressAndReleaseKey(keyCode);
        } finally {
            window.robot().releaseKey(KeyEvent.VK_CONTROL);
        }
    }

    /**
     * Clicks a button of a dialog with the robot and waits for the dialog to close. Without a window
     * manager (Xvfb) nothing places, raises and focuses a freshly shown modal dialog, and a click can
     * land on the window beside or above it: the dialog is first moved to a known place, and each click
     * is preceded by the robot focusing the button (which brings its dialog to the front and waits for
     * focus), as a window manager would. A click whose
     * effect has not shown is sent again once the EDT is idle, only while the dialog is still showing
     * with the button showing and enabled, so its action runs at most once. The button is never
     * pressed programmatically: a click that never arrives fails the test (with where things were on
     * screen, and a screenshot under target/gui-failures).
     */
    protected static void clickUntilClosed(org.assertj.swing.fixture.AbstractButtonFixture<?, ?> button) {
        java.awt.Window dialog = onEdt(() -> javax.swing.SwingUtilities.getWindowAncestor(button.target()));
        org.assertj.swing.core.Robot robot = button.robot();
        String label = onEdt(() -> button.target().getText());
        placeWhereItIsBelieved(dialog, robot);
        try {
            await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
                robot.waitForIdle();
                if (!onEdt(dialog::isShowing)) {
                    return true;
                }
                if (onEdt(() -> button.target().isShowing() && button.target().isEnabled())) {
                    robot.focusAndWaitForFocusGain(button.target());
                    button.click();
                    try {
                        await().atMost(Duration.ofSeconds(3)).until(() -> !onEdt(dialog::isShowing));
                    } catch (org.awaitility.core.ConditionTimeoutException lost) {
                        return false;
                    }
                }
                return !onEdt(dialog::isShowing);
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("robot clicks on '" + label + "' never closed its dialog; "
                    + describeScreen(dialog, button.target()), e);
        }
    }

    /**
     * Without a window manager the X server can show a new dialog where AWT did not record it (AWT
     * says 0,0 while X centred it over the frame): every robot click then lands beside the button,
     * on the blocked frame. Moving the dialog explicitly, as the frame is moved when it opens, makes
     * both agree; the robot then clicks where the button really is.
     */
    private static void placeWhereItIsBelieved(java.awt.Window dialog, org.assertj.swing.core.Robot robot) {
        GuiActionRunner.execute(() -> {
            java.awt.Point to = new java.awt.Point(40, 40);
            dialog.setLocation(dialog.getLocation().equals(to) ? new java.awt.Point(41, 41) : to);
        });
        robot.waitForIdle();
    }

    /** Where the dialog, the button and the pointer are, which window is focused; saves the screen. */
    private static String describeScreen(java.awt.Window dialog, java.awt.Component button) {
        String where = onEdt(() -> "dialog " + (dialog.isShowing() ? dialog.getBounds() + " on screen at "
                + dialog.getLocationOnScreen() : "not showing") + ", focused=" + dialog.isFocused() + " active="
                + dialog.isActive() + ", button " + (button.isShowing() ? button.getLocationOnScreen() + " "
                + button.getSize() : "not showing") + ", pointer " + java.awt.MouseInfo.getPointerInfo().getLocation()
                + ", focused window " + java.awt.KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusedWindow());
        try {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "gui-failures"));
            java.nio.file.Path shot = dir.resolve("screen-" + System.currentTimeMillis() + ".png");
            new org.assertj.swing.image.ScreenshotTaker().saveDesktopAsPng(shot.toString());
            where += ", screen saved to " + shot;
        } catch (java.io.IOException | RuntimeException e) {
            where += ", no screenshot: " + e;
        }
        return where;
    }

    /**
     * Clicks an enabled button until {@code done}: on a loaded machine under Xvfb a click is now and
     * then lost on its way through X; a click whose effect has not shown within two seconds is
     * sent again (only while the button is still enabled, so an action never runs twice).
     */
    protected static void clickUntil(org.assertj.swing.fixture.AbstractButtonFixture<?, ?> button,
                                     Callable<Boolean> done) {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (onEdt(done)) {
                return true;
            }
            if (onEdt(() -> button.target().isEnabled() && button.target().isShowing())) {
                button.click();
                try {
                    await().atMost(Duration.ofSeconds(2)).until(() -> onEdt(done));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    return false;
                }
            }
            return onEdt(done);
        });
    }

    /** Whether a JOptionPane is showing. */
    protected boolean optionPaneShowing() {
        return !window.robot().finder().findAll(c -> c instanceof javax.swing.JOptionPane && c.isShowing()).isEmpty();
    }

    /** Whether a JFileChooser is showing. */
    protected boolean fileChooserShowing() {
        return !window.robot().finder().findAll(c -> c instanceof javax.swing.JFileChooser && c.isShowing()).isEmpty();
    }

    /** A component by name, shown or not (fixtures only find showing ones). */
    protected <C extends java.awt.Component> C find(String name, Class<C> type) {
        return window.robot().finder().findByName(frame, name, type, false);
    }

    protected static <T> T onEdt(Callable<T> read) {
        return GuiActionRunner.execute(read);
    }

    /** Waits until {@code read} (run on the EDT) satisfies {@code until}. */
    protected static <T> T eventually(Callable<T> read, Predicate<T> until) {
        return await().atMost(PATIENCE).until(() -> GuiActionRunner.execute(read), until::test);
    }

    protected static long number(String text) {
        String digits = text.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }
}
