package dev.lockstep.console.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.swing.JTable;
import javax.swing.table.AbstractTableModel;

/**
 * A read-only table of immutable rows, its columns declared as (title, type, getter). Replacing
 * the rows keeps the selected row selected (found by key) so a live table can be worked with.
 */
public final class RowTableModel<T> extends AbstractTableModel {
    private final List<Column<T>> columns;
    private final Function<T, Object> key;
    private List<T> rows = List.of();

    /** One column. */
    public record Column<T>(String title, Class<?> type, Function<T, Object> value) {
    }

    public static <T> Column<T> column(String title, Class<?> type, Function<T, Object> value) {
        return new Column<>(title, type, value);
    }

    /**
     * @param key identifies a row across refreshes (the order id, the effect id)
     */
    @SafeVarargs
    public RowTableModel(Function<T, Object> key, Column<T>... columns) {
        this.key = key;
        List<Column<T>> list = new ArrayList<>(columns.length);
        for (Column<T> c : columns) {
            list.add(c);
        }
        this.columns = List.copyOf(list);
    }

    /** Replaces the rows, keeping {@code table}'s selection on the same key if it is still there. */
    public void setRows(List<T> newRows, JTable table) {
        Object selected = selectedKey(table);
        if (newRows.equals(rows)) {
            return;
        }
        rows = List.copyOf(newRows);
        fireTableDataChanged();
        if (selected != null) {
            for (int i = 0; i < rows.size(); i++) {
                if (Objects.equals(key.apply(rows.get(i)), selected)) {
                    int view = table.convertRowIndexToView(i);
                    table.getSelectionModel().setSelectionInterval(view, view);
                    break;
                }
            }
        }
    }

    /** The selected row, or null. */
    public T selected(JTable table) {
        int view = table.getSelectedRow();
        if (view < 0) {
            return null;
        }
        int model = table.convertRowIndexToModel(view);
        return model < rows.size() ? rows.get(model) : null;
    }

    private Object selectedKey(JTable table) {
        T row = selected(table);
        return row == null ? null : key.apply(row);
    }

    public List<T> rows() {
        return new ArrayList<>(rows);
    }

    public T row(int modelIndex) {
        return rows.get(modelIndex);
    }

    @Override
    public int getRowCount() {
        return rows.size();
    }

    @Override
    public int getColumnCount() {
        return columns.size();
    }

    @Override
    public String getColumnName(int column) {
        return columns.get(column).title();
    }

    @Override
    public Class<?> getColumnClass(int column) {
        return columns.get(column).type();
    }

    @Override
    public Object getValueAt(int row, int column) {
        return columns.get(column).value().apply(rows.get(row));
    }
}
