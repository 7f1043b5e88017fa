-- One database per service: no service reads another's tables.
CREATE DATABASE guiyan_registry;
CREATE DATABASE guiyan_matching;
CREATE DATABASE guiyan_notification;
