package dev.lockstep.console;

import dev.lockstep.console.backend.BurstRequest;
import dev.lockstep.console.backend.ConsoleBackend;
import dev.lockstep.console.live.ConsoleModel;
import dev.lockstep.console.live.ConsolePoller;
import dev.lockstep.console.live.EdtStallMonitor;
import dev.lockstep.console.view.BackgroundActions;
import dev.lockstep.console.view.BurstPanel;
import dev.lockstep.console.view.DedupPanel;
import dev.lockstep.console.view.Icons;
import dev.lockstep.console.view.IntegrityPanel;
import dev.lockstep.console.view.LocksPanel;
import dev.lockstep.console.view.OverviewPanel;
import dev.lockstep.console.view.StatusBar;
import dev.lockstep.console.view.TimelinePanel;
import dev.lockstep.console.view.WorkersPanel;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import javax.swing.JCheckBoxMenuItem;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JTabbedPane;
import javax.swing.KeyStroke;
import javax.swing.SwingConstants;
import javax.swing.WindowConstants;

/**
 * The console window. It only assembles: the seven views in a sidebar, the status bar, the menu
 * with the view shortcuts, the theme toggle and "Open order…". Data comes from one poller into
 * one model; every view refreshes from the model's snapshot.
 */
public final class ConsoleFrame extends JFrame {
    /** About 4 Hz. */
    public static final Duration POLL_PERIOD = Duration.ofMillis(250);

    private static final String SHORTCUTS = "<html><table cellpadding=3>"
            + "<tr><td><b>Ctrl+1 … Ctrl+7</b></td><td>Overview, Locks, Dedup, Timeline, Burst, Integrity, Workers</td></tr>"
            + "<tr><td><b>Ctrl+T</b></td><td>Open an order's timeline</td></tr>"
            + "<tr><td><b>Ctrl+Shift+D</b></td><td>Dark / light theme</td></tr>"
            + "<tr><td><b>Double-click</b></td><td>an order in Locks or Dedup opens its timeline; a lock's process opens it in Workers</td></tr>"
            + "<tr><td><b>Ctrl+Q</b></td><td>Close the console (asks first while a burst runs)</td></tr>"
            + "</table></html>";

    private final ConsolePrefs prefs;
    private final ConsoleModel model = new ConsoleModel();
    private final EdtStallMonitor edtMonitor = new EdtStallMonitor();
    private final BackgroundActions actions = new BackgroundActions();
    private final ConsolePoller poller;
    private final JTabbedPane tabs = new JTabbedPane(SwingConstants.LEFT);
    private final Map<View, JComponent> views = new EnumMap<>(View.class);
    private final TimelinePanel timeline;
    private final WorkersPanel workers;
    private JCheckBoxMenuItem darkItem;
    private boolean started;

    /** Builds the window. Call on the EDT; then {@link #start()}. */
    public ConsoleFrame(ConsoleBackend backend, ConsolePrefs prefs) {
        super("Lockstep console");
        this.prefs = prefs;
        setName("console");
        poller = new ConsolePoller(backend, edtMonitor, POLL_PERIOD, model::update);
        Runnable pollNow = poller::pollNow;

        OverviewPanel overview = new OverviewPanel();
        workers = new WorkersPanel();
        LocksPanel locks = new LocksPanel(backend, actions, this::openTimeline, this::openProcess, pollNow);
        DedupPanel dedup = new DedupPanel(this::openTimeline);
        timeline = new TimelinePanel(backend, actions);
        BurstPanel burst = new BurstPanel(backend, actions, pollNow);
        burst.apply(prefs.burst());
        burst.onStart(prefs::setBurst);
        IntegrityPanel integrity = new IntegrityPanel(backend, actions, () -> {
            BurstRequest request = burst.currentRequest();
            prefs.setBurst(request); // a compare runs the Burst view's settings: remember them too
            return request;
        }, pollNow);
        StatusBar status = new StatusBar();
        views.put(View.OVERVIEW, overview);
        views.put(View.LOCKS, locks);
        views.put(View.DEDUP, dedup);
        views.put(View.TIMELINE, timeline);
        views.put(View.BURST, burst);
        views.put(View.INTEGRITY, integrity);
        views.put(View.WORKERS, workers);
        model.addView(overview);
        model.addView(locks);
        model.addView(dedup);
        model.addView(timeline);
        model.addView(burst);
        model.addView(integrity);
        model.addView(workers);
        model.addView(status);

        tabs.setName("nav.tabs");
        tabs.putClientProperty("JTabbedPane.tabAreaAlignment", "leading");
        tabs.putClientProperty("JTabbedPane.tabWidthMode", "equal");
        tabs.putClientProperty("JTabbedPane.minimumTabWidth", 150);
        tabs.putClientProperty("JTabbedPane.tabAlignment", "leading");
        tabs.putClientProperty("JTabbedPane.leadingComponent", brand());
        for (View v : View.values()) {
            tabs.addTab(v.title(), Icons.get(v.id()), views.get(v), v.tip() + " (Ctrl+" + (v.ordinal() + 1) + ")");
        }

        tabs.setSelectedComponent(views.get(prefs.lastView()));
        tabs.addChangeListener(e -> prefs.setLastView(currentView()));
        getContentPane().add(tabs, BorderLayout.CENTER);
        getContentPane().add(status, BorderLayout.SOUTH);
        setJMenuBar(menu());
        // closing asks first while a burst or compare runs (the window's X, Ctrl+Q and File > Close alike)
        setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        addWindowListener(new java.awt.event.WindowAdapter() {
            @Override
            public void windowClosing(java.awt.event.WindowEvent e) {
                closeIfConfirmed();
            }
        });
        // 1440 x 900, or the screen when it is smaller; preferred, so that pack() keeps it
        java.awt.Rectangle screen = java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        setMinimumSize(new Dimension(Math.min(1100, screen.width), Math.min(700, screen.height)));
        setPreferredSize(new Dimension(Math.min(1440, screen.width), Math.min(900, screen.height)));
        pack();
        setLocationRelativeTo(null);
    }

    private static JComponent brand() {
        JLabel l = new JLabel("Lockstep", Icons.get("app", 20), SwingConstants.LEADING);
        l.putClientProperty("FlatLaf.styleClass", "h3");
        l.setBorder(javax.swing.BorderFactory.createEmptyBorder(12, 14, 14, 14));
        l.setIconTextGap(8);
        return l;
    }

    private JMenuBar menu() {
        int ctrl = InputEvent.CTRL_DOWN_MASK;
        JMenuBar bar = new JMenuBar();
        JMenu file = new JMenu("File");
        file.setMnemonic('F');
        JMenuItem openOrder = item("menu.openOrder", "Open order…", KeyStroke.getKeyStroke(KeyEvent.VK_T, ctrl));
        openOrder.setIcon(Icons.get("search"));
        openOrder.addActionListener(e -> askForOrder());
        file.add(openOrder);
        file.addSeparator();
        JMenuItem close = item("menu.close", "Close", KeyStroke.getKeyStroke(KeyEvent.VK_Q, ctrl));
        close.addActionListener(e -> dispatchEvent(new java.awt.event.WindowEvent(this,
                java.awt.event.WindowEvent.WINDOW_CLOSING)));
        file.add(close);
        bar.add(file);

        JMenu viewMenu = new JMenu("View");
        viewMenu.setMnemonic('V');
        for (View v : View.values()) {
            JMenuItem item = item("menu.view." + v.id(), v.title(),
                    KeyStroke.getKeyStroke(KeyEvent.VK_1 + v.ordinal(), ctrl));
            item.setIcon(Icons.get(v.id()));
            item.addActionListener(e -> showView(v));
            viewMenu.add(item);
        }
        viewMenu.addSeparator();
        darkItem = new JCheckBoxMenuItem("Dark theme", Icons.get("theme"), Theme.isDark());
        darkItem.setName("menu.darkTheme");
        darkItem.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_D, ctrl | InputEvent.SHIFT_DOWN_MASK));
        darkItem.addActionListener(e -> setDarkTheme(darkItem.isSelected()));
        viewMenu.add(darkItem);
        bar.add(viewMenu);

        JMenu help = new JMenu("Help");
        help.setMnemonic('H');
        JMenuItem keys = new JMenuItem("Keyboard shortcuts");
        keys.setName("menu.shortcuts");
        keys.addActionListener(e -> JOptionPane.showMessageDialog(this, SHORTCUTS, "Keyboard shortcuts",
                JOptionPane.PLAIN_MESSAGE));
        help.add(keys);
        JMenuItem about = new JMenuItem("About Lockstep");
        about.setName("menu.about");
        about.addActionListener(e -> JOptionPane.showMessageDialog(this, aboutText(), "About Lockstep",
                JOptionPane.INFORMATION_MESSAGE, Icons.get("app", 48)));
        help.add(about);
        bar.add(help);
        return bar;
    }

    /** The About box: version, runtime, where the documentation is. */
    static String aboutText() {
        return "<html><b>Lockstep " + version() + "</b><br>"
                + "Per-order serialization of order webhooks on Redis lanes, fenced writes to MongoDB.<br><br>"
                + "Java " + System.getProperty("java.version") + " · " + System.getProperty("os.name") + "<br><br>"
                + "Documentation, in the project's repository:<br>"
                + "&nbsp;&nbsp;<b>README.md</b> — running, configuring, the console, the CLI<br>"
                + "&nbsp;&nbsp;<b>docs/DESIGN.md</b> — the data path, invariants, audit terms, glossary"
                + docsHint() + "</html>";
    }

    /** Where the docs are on this machine, when the console runs from a checkout. */
    private static String docsHint() {
        java.nio.file.Path readme = java.nio.file.Path.of("README.md").toAbsolutePath();
        java.nio.file.Path design = java.nio.file.Path.of("docs/DESIGN.md").toAbsolutePath();
        return java.nio.file.Files.isRegularFile(readme) && java.nio.file.Files.isRegularFile(design)
                ? "<br><br>Here: " + readme.toUri() + "<br>" + "&nbsp;&nbsp;and " + design.toUri() : "";
    }

    /**
     * The version: the jar manifest's Implementation-Version, else the Maven descriptor packaged in
     * the jar, else "dev" (run from classes).
     */
    public static String version() {
        String v = ConsoleFrame.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (java.io.InputStream in = ConsoleFrame.class.getResourceAsStream(
                "/META-INF/maven/dev.lockstep/lockstep/pom.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "dev");
            }
        } catch (java.io.IOException e) {
            // no descriptor to read: a development build
        }
        return "dev";
    }

    /**
     * Closes the window, after asking when a burst or compare is running: closing stops it (the
     * backend closes with the window), which an operator should not do by accident.
     */
    void closeIfConfirmed() {
        dev.lockstep.console.backend.RunProgress p = model.current().progress();
        if (p.running()) {
            int answer = JOptionPane.showConfirmDialog(this, "<html><b>A " + (p.steps() > 1 ? "compare" : "burst")
                            + " is running</b> (" + p.phaseLabel() + (p.mode() != null ? " · " + p.mode().id() : "")
                            + (p.steps() > 1 ? " · run " + p.step() + " of " + p.steps() : "") + ").<br><br>"
                            + "Closing the console stops it and it will not be audited.<br>Close anyway?</html>",
                    "Close the console", JOptionPane.YES_NO_OPTION, JOptionPane.WARNING_MESSAGE);
            if (answer != JOptionPane.YES_OPTION) {
                return;
            }
        }
        dispose();
    }

    private static JMenuItem item(String name, String text, KeyStroke key) {
        JMenuItem item = new JMenuItem(text);
        item.setName(name);
        item.setAccelerator(key);
        return item;
    }

    /** Starts polling and the EDT stall monitor. Call once the window is shown. */
    public void start() {
        if (!started) {
            started = true;
            edtMonitor.start();
            poller.start();
        }
    }

    public void showView(View view) {
        tabs.setSelectedComponent(views.get(view));
    }

    public View currentView() {
        for (Map.Entry<View, JComponent> e : views.entrySet()) {
            if (e.getValue() == tabs.getSelectedComponent()) {
                return e.getKey();
            }
        }
        return View.OVERVIEW;
    }

    /** Jumps to the Timeline view and shows the order. */
    public void openTimeline(long orderId) {
        showView(View.TIMELINE);
        timeline.open(orderId);
    }

    /** Jumps to the Workers view with the process {@code workerId} selected (a lock's process). */
    public void openProcess(String workerId) {
        showView(View.WORKERS);
        workers.select(workerId);
    }

    private void askForOrder() {
        Object answer = JOptionPane.showInputDialog(this, "Order id", "Open order", JOptionPane.PLAIN_MESSAGE,
                Icons.get("timeline", 24), null, null);
        if (answer == null) {
            return;
        }
        String text = answer.toString().trim().replace(",", "");
        try {
            long id = Long.parseLong(text);
            if (id <= 0) {
                throw new NumberFormatException(text);
            }
            openTimeline(id);
        } catch (NumberFormatException e) {
            JOptionPane.showMessageDialog(this, "An order id is a positive whole number; \"" + text + "\" is not one.",
                    "Open order", JOptionPane.ERROR_MESSAGE);
        }
    }

    /** Switches light / dark and remembers the choice. */
    public void setDarkTheme(boolean dark) {
        Theme.switchTo(dark);
        prefs.setDark(dark);
        darkItem.setSelected(dark);
    }

    /** The EDT stall monitor of this window, for the status bar and for reports. */
    public EdtStallMonitor edtStallMonitor() {
        return edtMonitor;
    }

    /** The model its views listen to (for tools that wait for fresh snapshots, e.g. screenshots). */
    public ConsoleModel model() {
        return model;
    }

    @Override
    public void dispose() {
        poller.close();
        edtMonitor.close();
        actions.close();
        model.cleanup();
        super.dispose();
    }
}
