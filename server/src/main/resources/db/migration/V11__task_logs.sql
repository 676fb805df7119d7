-- Where the latest recorded attempt of a future stored what its function printed (null: nothing).
alter table tasks add column log_key text;
