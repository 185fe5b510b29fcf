package dev.lockstep.console.view;

import java.awt.CardLayout;
import java.awt.Font;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.SwingConstants;
import javax.swing.UIManager;

/** Shows its content, or a quiet sentence saying why there is nothing to show. */
public final class EmptyState extends JPanel {
    private static final String CONTENT = "content";
    private static final String EMPTY = "empty";
    private final CardLayout cards = new CardLayout();
    private final JLabel message;
    private boolean empty;

    /**
     * @param name the message label's name is {@code name + ".empty"}
     */
    public EmptyState(String name, JComponent content, String emptyMessage) {
        setLayout(cards);
        message = new JLabel(emptyMessage, SwingConstants.CENTER) {
            @Override
            public void updateUI() {
                super.updateUI();
                setForeground(Palette.muted());
                Font f = UIManager.getFont("Label.font");
                if (f != null) {
                    setFont(f.deriveFont(f.getSize2D() + 1f));
                }
            }
        };
        message.setName(name + ".empty");
        add(content, CONTENT);
        add(message, EMPTY);
        cards.show(this, CONTENT);
    }

    public void setEmpty(boolean isEmpty) {
        if (isEmpty != empty) {
            empty = isEmpty;
            cards.show(this, isEmpty ? EMPTY : CONTENT);
        }
    }

    public void setMessage(String text) {
        message.setText(text);
    }

    public boolean isEmpty() {
        return empty;
    }
}
