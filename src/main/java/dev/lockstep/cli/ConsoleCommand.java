package dev.lockstep.cli;

import com.formdev.flatlaf.FlatLightLaf;
import dev.lockstep.app.LockstepRuntime;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Opens the desktop console (the default command). */
@Command(name = "console", mixinStandardHelpOptions = true, description = "Open the desktop console (the default).")
public final class ConsoleCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        LockstepRuntime runtime = LockstepRuntime.start(config.load());
        CountDownLatch closed = new CountDownLatch(1);
        SwingUtilities.invokeLater(() -> {
            FlatLightLaf.setup();
            JFrame f = new JFrame("Lockstep");
            f.add(new JLabel("Redis " + runtime.infra().redisUri() + " · MongoDB " + runtime.infra().mongoUri()));
            f.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
            f.addWindowListener(new java.awt.event.WindowAdapter() {
                @Override
                public void windowClosed(java.awt.event.WindowEvent e) {
                    closed.countDown();
                }
            });
            f.setSize(900, 600);
            f.setVisible(true);
        });
        closed.await();
        runtime.close();
        return 0;
    }
}
